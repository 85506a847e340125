package comms.cli.commands.status;

import comms.cli.commands.CompletionValues;
import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Timestamps;
import comms.core.contract.OperatorsContract;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.store.IdempotencyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms delivery.log`: the newest delivery attempts from the outbox's log, or a check of its integrity. */
@Command(
    name = "delivery.log",
    description = {
      "Show delivery attempts, newest first.",
      "One line per attempt (simulated, sent, queued, failed, dead_letter, blocked, declined), read backwards from the end of the log, so the newest entries come back at once however long the log is. A last line torn by a crash is skipped with a warning on stderr; the next send cuts it back or, when it is whole and lacks only its newline, completes it. Bytes at the end that no crash leaves (longer than the longest line comms writes, or a whole line that does not chain) are never cut: sends stop with exit 3 until --verify has shown what they are.",
      "--verify instead walks the whole log and checks every line's hash chain: exit 0 when intact, 3 with the first broken line and why. A missing or empty log is fine (0 entries) unless the state store has completed sends, which must each have a line in the log (lines lost from the end of the log break no chain, so they are found this way).",
      "--verify also lists sends that were claimed and never finished (a run is sending them now, or died mid-dispatch): run the same send.execute again, with the same --idempotency-key, to reconcile each one."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms delivery.log --limit 5",
      "  comms delivery.log --status blocked --output json",
      "  comms delivery.log --verify"
    })
public final class DeliveryLogCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N entries (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--channel", paramLabel = "C", completionCandidates = CompletionValues.ChannelNames.class, description = "Only this channel, e.g. sms or email.")
  String channel;

  @Option(
      names = "--status",
      paramLabel = "S",
      completionCandidates = CompletionValues.DeliveryStatuses.class,
      description = "Only this status: simulated, sent, queued, failed, dead_letter, blocked or declined.")
  String status;

  @Option(names = "--to", paramLabel = "R", description = "Only this recipient (email ignoring case, or an E.164 number).")
  String to;

  @Option(names = "--message-type", paramLabel = "T", description = "Only this message type, e.g. payment_needed.")
  String messageType;

  @Option(names = "--operator", paramLabel = "EMAIL", description = "Only the sends made as this operator, e.g. sam@lakesideprint.com.")
  String operator;

  @Option(
      names = "--since",
      paramLabel = "ISO",
      description = "Only attempts at or after this instant (2026-11-22T15:00:00Z) or UTC date (2026-11-22).")
  String since;

  @Option(names = "--until", paramLabel = "ISO", description = "Only attempts before this instant or UTC date.")
  String until;

  @Option(names = "--verify", description = "Check the whole log's integrity (hash chain) instead of listing entries.")
  boolean verify;

  record EntriesView(Path log, List<DeliveryRecord> entries, List<String> warnings) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      List<Object> rows = new ArrayList<>();
      for (DeliveryRecord r : entries) {
        rows.add(r.fields());
      }
      m.put("entries", rows);
      m.put("count", entries.size());
      m.put("warnings", warnings);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> rows = new ArrayList<>();
      for (DeliveryRecord r : entries) {
        rows.add(
            List.of(
                Timestamps.format(r.time()),
                p.status(r.status()),
                nz(r.channel()),
                nz(r.messageType()),
                nz(r.to()),
                nz(r.provider()),
                nz(r.mode()),
                nz(r.deliveryId()),
                r.error() == null ? "" : r.error()));
      }
      p.table(List.of("TIME", "STATUS", "CHANNEL", "MESSAGE TYPE", "TO", "PROVIDER", "MODE", "DELIVERY ID", "ERROR"), rows);
      p.blank();
      p.line(entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + ", newest first (" + log + ")");
    }
  }

  /** How many of the newest completed sends --verify looks for in the log. */
  static final int CROSS_CHECKED = 10_000;

  record VerifyView(Path log, DeliveryJournal.Verification v, List<IdempotencyStore.IdempotencyEntry> inFlight) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", v.ok());
      m.put("log", log.toString());
      m.put("lines", v.lines());
      m.put("broken_line", v.ok() ? null : v.brokenLine());
      m.put("reason", v.reason());
      m.put("warnings", v.warnings());
      m.put("missing_deliveries", v.missing().subList(0, Math.min(20, v.missing().size())));
      List<Map<String, Object>> claims = new ArrayList<>();
      for (IdempotencyStore.IdempotencyEntry e : inFlight) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("idempotency_key", e.key());
        c.put("delivery_id", e.deliveryId());
        c.put("claimed_at", e.createdAt() == null ? null : e.createdAt().toString());
        claims.add(c);
      }
      m.put("in_flight", claims);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      if (v.ok()) {
        p.line(
            p.status("ok")
                + ": the delivery log is intact, "
                + v.lines()
                + " line"
                + (v.lines() == 1 ? "" : "s")
                + " with a valid hash chain ("
                + log
                + ")");
      } else {
        p.line(p.status("broken") + ": " + v.reason() + " (" + log + ")");
        p.line(v.lines() + " line" + (v.lines() == 1 ? "" : "s") + (v.missing().isEmpty() ? " before it are intact." : " are intact, but lines after them are missing."));
      }
      if (!inFlight.isEmpty()) {
        p.line(inFlight.size() + " send" + (inFlight.size() == 1 ? " was" : "s were") + " claimed and never finished (see the warnings above).");
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    OutboxPaths outbox = new OutboxPaths(app.outboxDir());
    DeliveryJournal journal = DeliveryJournal.of(outbox, null);
    if (verify) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--limit") || channel != null || status != null || to != null || messageType != null || operator != null || since != null || until != null) {
        throw CommsException.usage("--verify checks the whole log and takes no filters or --limit; run it on its own");
      }
      // Only a store that exists: a read-only check never creates one.
      boolean stored = Files.isRegularFile(outbox.store());
      // Sends the store completed must be in the log (lost lines at its end break no chain).
      DeliveryJournal.Verification v = journal.verify(stored ? app.store().newestDoneDeliveryIds(CROSS_CHECKED) : List.of());
      warn(app, v.warnings());
      List<IdempotencyStore.IdempotencyEntry> inFlight = stored ? app.store().inFlight() : List.of();
      for (IdempotencyStore.IdempotencyEntry e : inFlight) {
        app.err().println(
            "comms: warning: idempotency key " + e.key() + " (delivery " + e.deliveryId() + ") was claimed at " + e.createdAt()
                + " and never finished: a run is sending it now, or died mid-dispatch; run the same send.execute again with"
                + " --idempotency-key " + e.key() + " to reconcile it (found in the log: reported as sent, never sent twice)");
      }
      app.render(new VerifyView(journal.file(), v, inFlight));
      return v.ok() ? ExitCode.OK.code() : ExitCode.CONTRACT.code();
    }
    if (limit < 1) {
      throw CommsException.usage("--limit must be at least 1, not " + limit);
    }
    if (status != null && !DeliveryRecord.STATUSES.contains(status)) {
      throw CommsException.usage("--status " + status + " is not a delivery status; use one of " + String.join(", ", DeliveryRecord.STATUSES));
    }
    DeliveryJournal.Filter f =
        DeliveryJournal.Filter.ALL
            .channel(channel)
            .status(status)
            .to(to)
            .messageType(messageType)
            .operator(operator == null ? null : OperatorsContract.normalize(operator))
            .since(comms.cli.commands.InstantOption.parse("--since", since))
            .until(comms.cli.commands.InstantOption.parse("--until", until));
    if (f.since() != null && f.until() != null && !f.since().isBefore(f.until())) {
      throw CommsException.usage("--since must be before --until");
    }
    DeliveryJournal.Page page = journal.newest(limit, f);
    warn(app, page.warnings());
    app.render(new EntriesView(journal.file(), page.entries(), page.warnings()));
    return ExitCode.OK.code();
  }

  private static void warn(App app, List<String> warnings) {
    for (String w : warnings) {
      app.err().println("comms: warning: " + w);
    }
    app.err().flush();
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }
}
