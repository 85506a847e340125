package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Timestamps;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms audit`: the audit log, newest first, scoped to the acting operator unless they are an admin. */
@Command(
    name = "audit",
    description = {
      "Show the audit log, newest first.",
      "Lists every executed mutating action (approved, declined, blocked, refused or failed) with its actor (the operator, or an agent for them), owner operator, action, resource, run key and OS user, and a payload without personal data (recipients only as SHA-256 hashes).",
      "An operator sees only their own rows; an admin sees everyone's, or one operator's with --operator. The database refuses UPDATE and DELETE on the log."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms audit --limit 5",
      "  comms audit --action sequence.launch --output json"
    })
public final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N rows (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--action", paramLabel = "A", description = "Only this action, e.g. send.execute, consent.record, suppression.add, operators.update.")
  String action;

  @Option(
      names = "--since",
      paramLabel = "ISO",
      description = "Only rows at or after this instant (2026-11-22T15:00:00Z) or UTC date (2026-11-22).")
  String since;

  @Option(
      names = "--operator",
      paramLabel = "EMAIL",
      description = "Only this owner operator's rows (admins; an operator may name only themself).")
  String operator;

  public record AuditView(String scope, List<AuditLog.Entry> rows) implements View {
    @Override
    public Object tree() {
      List<Object> out = new ArrayList<>();
      for (AuditLog.Entry e : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("occurred_at", Timestamps.format(e.occurredAt()));
        m.put("actor", e.actor());
        m.put("owner", e.owner());
        m.put("action", e.action());
        m.put("resource_type", e.resourceType());
        m.put("resource_id", e.resourceId());
        m.put("payload", e.payload());
        m.put("run_key", e.runKey());
        m.put("os_user", e.osUser());
        out.add(m);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scope", scope);
      m.put("count", rows.size());
      m.put("entries", out);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> out = new ArrayList<>();
      for (AuditLog.Entry e : rows) {
        Object outcome = e.payload().get("outcome");
        out.add(
            List.of(
                Timestamps.format(e.occurredAt()),
                e.actor(),
                e.owner(),
                e.action(),
                e.resourceType() + (e.resourceId() == null ? "" : " " + shorten(e.resourceId())),
                p.status(outcome == null ? "-" : outcome.toString()),
                e.runKey() == null ? "-" : e.runKey()));
      }
      p.table(List.of("TIME", "ACTOR", "OWNER", "ACTION", "RESOURCE", "OUTCOME", "RUN KEY"), out);
      p.blank();
      p.line(rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ", newest first (" + scope + "); -o json shows each payload");
    }

    private static String shorten(String id) {
      return id.startsWith("sha256:") && id.length() > 19 ? id.substring(0, 19) + "…" : id;
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(query(app, limit, action, since, operator));
    return 0;
  }

  /**
   * The rows the run's identity may see, newest first: its own, or an admin's pick ({@code operator}
   * null: everyone's). The CLI and the MCP server's audit tool both read the log through this.
   */
  public static AuditView query(App app, int limit, String action, String since, String operator) {
    Identity who = app.identity();
    if (limit < 1) {
      throw CommsException.usage("--limit must be at least 1, not " + limit);
    }
    Permissions.Scope scope = Permissions.auditScope(who, operator);
    if (scope.refusal() != null) {
      throw new CommsException(ExitCode.POLICY, scope.refusal().message());
    }
    List<AuditLog.Entry> rows =
        AuditLog.of(app.store()).newest(new AuditLog.Query(limit, scope.owner(), action, instant(since)));
    String shown = scope.owner() == null ? "every operator's rows" : (scope.owner().equals(who.owner()) && !who.admin() ? "your rows only, as " : "rows of ") + scope.owner();
    return new AuditView(shown, rows);
  }

  /** --since as an ISO-8601 instant or a UTC date; null stays null. */
  public static Instant instant(String text) {
    return comms.cli.commands.InstantOption.parse("--since", text);
  }
}
