package comms.cli.commands.replies;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.sequence.Approval;
import comms.cli.commands.sequence.Sequences;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.SmallFile;
import comms.core.engagement.EngagementService;
import comms.core.engagement.EngagementService.Outcome;
import comms.core.engagement.WebhookCaptures;
import comms.core.operator.AuditTrail;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms engagement.ingest --file events.jsonl|-`: Resend webhooks captured to a file, verified and applied once each. */
@ApprovalGated
@Command(
    name = "engagement.ingest",
    description = {
      "Verify and apply captured Resend webhooks.",
      "The events taken in are email.delivered, email.opened, email.clicked, email.bounced and email.complained; other types are recorded and change nothing.",
      "Each line of the file is one webhook as received: {\"headers\": {\"svix-id\": ..., \"svix-timestamp\": ..., \"svix-signature\": ...}, \"body\": \"<the raw body, as a JSON string>\"}. Blank lines and lines starting with # are skipped.",
      "Every webhook's Svix signature is checked with the secret in the variable named by engagement.webhook_secret_env (sequences contract), and its timestamp must be within 5 minutes of the clock (COMMS_NOW in tests): a bad or stale one is refused, counted, and never applied (exit 4). A svix-id already applied is a duplicate and changes nothing.",
      "Opens count for no_engagement only when human-shaped (not Apple MPP, Google Image Proxy, a prefetch, or sooner than human_open_after_seconds after delivery); clicks always count. A hard bounce or a complaint suppresses the address and ends its enrollments (bounced, opted_out).",
      "Without --execute a dry run: what each webhook would do, nothing written. With --file - the webhooks come on stdin, after the line that answers the prompt: (echo yes; cat events.jsonl) | comms engagement.ingest --file - --execute.",
      "To make a line from a capture: jq -cn --rawfile b body.json --arg i \"$SVIX_ID\" --arg t \"$SVIX_TIMESTAMP\" --arg s \"$SVIX_SIGNATURE\" '{headers: {\"svix-id\": $i, \"svix-timestamp\": $t, \"svix-signature\": $s}, body: $b}' >> events.jsonl (body.json holds the request body byte for byte)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms engagement.ingest --file examples/engagement/events.jsonl",
      "  echo yes | comms engagement.ingest \\",
      "      --file examples/engagement/events.jsonl --execute --output json"
    })
public final class EngagementIngestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--file", required = true, paramLabel = "FILE|-", description = "Webhooks as JSON Lines; - reads them from stdin.")
  String file;

  @Mixin ExecuteOption execute;

  /** One webhook's fate as shown: no address, IP or link, only ids, codes and counts. */
  record Row(int line, String svixId, String type, String result, String sequenceId, String enrollmentId, Integer stage, String detail) {
    Map<String, Object> tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("line", line);
      m.put("svix_id", svixId);
      m.put("type", type);
      m.put("result", result);
      m.put("sequence_id", sequenceId);
      m.put("enrollment_id", enrollmentId);
      m.put("stage", stage);
      m.put("detail", detail);
      return m;
    }
  }

  record IngestView(String source, boolean applied, List<Row> rows, Map<String, Integer> totals) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", source);
      m.put("applied", applied);
      m.put("totals", totals);
      m.put("webhooks", rows.stream().map(Row::tree).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("engagement.ingest " + source + (applied ? "" : " (dry run: nothing written)"));
      List<String> kv = new ArrayList<>();
      totals.forEach((k, v) -> {
        kv.add(k);
        kv.add(String.valueOf(v));
      });
      p.fields(kv.toArray(String[]::new));
      if (!rows.isEmpty()) {
        p.blank();
        p.table(
            List.of("line", "svix-id", "type", "result", "enrollment", "detail"),
            rows.stream().map(r -> List.of(String.valueOf(r.line()), dash(r.svixId()), dash(r.type()), r.result(), dash(r.enrollmentId()), dash(r.detail()))).toList());
      }
    }

    private static String dash(String s) {
      return s == null ? "-" : s;
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    boolean stdin = file.equals("-");
    String source = stdin ? "stdin" : file;
    EngagementService service = EngagementService.from(app.bindings().sequences().engagement(), app.env(), app.store(), app.audit(), app.clock());
    AuditTrail.Action action = AuditTrail.Action.of("engagement.ingest", "webhook_events", null).with("input", stdin ? "stdin" : "file");
    if (stdin) {
      // The answer to the prompt comes first on stdin, the webhooks after it.
      if (!Approval.granted(app, execute.execute, "About to ingest the Resend webhooks that follow on stdin (verify, record, suppress bounces and complaints)", action)) {
        return report(app, source, service, read(app, source), false);
      }
      return report(app, source, service, read(app, source), true);
    }
    List<WebhookCaptures.Capture> captures = read(app, source);
    List<Row> preview = run(service.batch(false), captures);
    String summary = "About to ingest " + captures.size() + " Resend webhook" + (captures.size() == 1 ? "" : "s") + " from " + file + ": " + summary(preview);
    boolean go = Approval.granted(app, execute.execute, summary, action);
    return report(app, source, service, captures, go);
  }

  private int report(App app, String source, EngagementService service, List<WebhookCaptures.Capture> captures, boolean apply) {
    List<Row> rows = run(service.batch(apply), captures);
    Map<String, Integer> totals = totals(rows);
    if (apply) {
      Map<String, Object> counts = new LinkedHashMap<>(totals);
      app.audit().record(AuditTrail.Action.of("engagement.ingest", "webhook_events", null).with("input", source.equals("stdin") ? "stdin" : "file").with(counts)
          .with(AuditTrail.outcome(totals.getOrDefault("refused", 0) > 0 ? "partly_refused" : "applied", totals.getOrDefault("refused", 0) > 0 ? ExitCode.POLICY.code() : 0)));
      app.artifact(app.outbox().store());
    }
    app.render(new IngestView(source, apply, rows, totals));
    int refused = totals.getOrDefault("refused", 0);
    if (refused > 0) {
      app.why(ExitCode.POLICY, refused + " webhook" + (refused == 1 ? " was" : "s were") + " refused (a bad, stale or unverifiable signature, or an unreadable body)"
          + (apply ? " and counted; none of them was applied" : "; a dry run counts nothing") + ". Check the signing secret in "
          + app.bindings().sequences().engagement().webhookSecretEnv() + " and that the capture is fresh (signed within 5 minutes of the clock)");
      return ExitCode.POLICY.code();
    }
    return 0;
  }

  private static List<WebhookCaptures.Capture> read(App app, String source) {
    byte[] bytes;
    try {
      if (source.equals("stdin")) {
        bytes = app.in().readNBytes(WebhookCaptures.MAX_BYTES + 1);
        if (bytes.length > WebhookCaptures.MAX_BYTES) {
          throw CommsException.usage("stdin holds more than " + WebhookCaptures.MAX_BYTES + " bytes of webhooks; split them into smaller files");
        }
      } else {
        bytes = SmallFile.read(Sequences.input(app, Path.of(source)), WebhookCaptures.MAX_BYTES);
      }
    } catch (SmallFile.TooLarge e) {
      throw CommsException.usage(source + " is larger than " + e.limit() + " bytes; split it into smaller files");
    } catch (NoSuchFileException e) {
      throw CommsException.usage("--file " + source + " does not exist; give a JSON Lines file of captured webhooks, or - for stdin");
    } catch (IOException e) {
      throw CommsException.usage("--file " + source + " cannot be read (" + e.getMessage() + ")");
    }
    return WebhookCaptures.read(source, bytes);
  }

  private static List<Row> run(EngagementService.Batch batch, List<WebhookCaptures.Capture> captures) {
    List<Row> rows = new ArrayList<>();
    for (WebhookCaptures.Capture c : captures) {
      Outcome o = batch.next(c.headers(), c.body());
      if (o instanceof Outcome.Accepted a) {
        String detail = a.ignoredBy() != null ? "ignored_by:" + a.ignoredBy() : a.enrollmentsEnded() > 0 ? "enrollments_ended:" + a.enrollmentsEnded() : a.enrollmentId() == null && !a.effect().equals("ignored") ? "no matching stage send" : null;
        rows.add(new Row(c.line(), a.svixId(), a.event().type(), a.effect(), a.sequenceId(), a.enrollmentId(), a.stage(), detail));
      } else if (o instanceof Outcome.Duplicate d) {
        rows.add(new Row(c.line(), d.svixId(), null, "duplicate", null, null, null, "already applied"));
      } else {
        Outcome.Refused r = (Outcome.Refused) o;
        rows.add(new Row(c.line(), r.svixId(), null, "refused", null, null, null, r.reason() + ": " + r.sentence()));
      }
    }
    return rows;
  }

  private static Map<String, Integer> totals(List<Row> rows) {
    Map<String, Integer> m = new TreeMap<>();
    for (Row r : rows) {
      m.merge(r.result(), 1, Integer::sum);
    }
    return m;
  }

  private static String summary(List<Row> rows) {
    Map<String, Integer> m = totals(rows);
    return m.isEmpty() ? "none" : m.toString().replace("{", "").replace("}", "").replace("=", " ");
  }
}
