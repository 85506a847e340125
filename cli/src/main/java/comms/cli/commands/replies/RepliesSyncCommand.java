package comms.cli.commands.replies;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.sequence.Approval;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.AuditTrail;
import comms.core.reply.Inbox;
import comms.core.reply.ReplySync;
import comms.core.reply.WatchAlerts;
import comms.core.reply.Watches;
import comms.core.sequence.WorkerRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms replies.sync`: read the owners' inboxes and stop, pause or suppress as the replies say. */
@ApprovalGated
@Command(
    name = "replies.sync",
    description = {
      "Read the owners' inboxes and act on replies.",
      "Reads each owner's inbox since the last sync (simulation: the simulated inbox in the outbox; live: Microsoft Graph, or users.history for an owner whose mailbox is Gmail) and ties each message to what we sent by In-Reply-To/References to our Message-IDs, else by the sender's address and subject. A person's reply ends the recipient's enrollment as replied in every sequence of that owner; an out-of-office pauses it until the return date in its text (else the contract's default) and then it resumes; a hard bounce (5.x.x) ends it as bounced and suppresses the address; soft bounces, auto-replies and list mail are recorded only.",
      "A successful sync keeps the owner's reply watch healthy; multi-stage sequences need it. Without --owner an admin syncs every active operator, anyone else their own inbox. --follow syncs every minute until stopped."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms replies.sync",
      "  echo yes | comms replies.sync --execute",
      "  echo yes | comms replies.sync --owner dana@lakesideprint.com --execute"
    })
public final class RepliesSyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--owner", paramLabel = "EMAIL", description = "Sync this owner's inbox only.")
  String owner;

  @Option(names = "--follow", description = "Keep syncing every minute on the real clock until stopped (needs --execute).")
  boolean follow;

  @Mixin ExecuteOption execute;

  record SyncView(List<ReplySync.OwnerSync> owners, List<WatchAlerts.Sent> alerts, boolean applied) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("applied", applied);
      m.put("owners", owners.stream().map(o -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("owner", o.owner());
        x.put("source", o.source());
        x.put("ok", o.ok());
        x.put("error", o.error());
        x.put("read", o.read());
        x.put("resynced", o.resynced());
        x.put("messages", o.effects().stream().map(RepliesSyncCommand::effect).toList());
        return x;
      }).toList());
      m.put("alerts", alerts.stream().map(a -> Map.of("owner", a.owner(), "kind", a.kind())).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("reply sync" + (applied ? "" : " (dry run: nothing was changed)"));
      p.table(
          List.of("owner", "source", "status", "read", "replied", "paused", "bounced", "other"),
          owners.stream().map(o -> List.of(
              o.owner(), o.source(), o.ok() ? p.status("ok") : p.status("failed"), String.valueOf(o.read()), count(o, "replied"), count(o, "paused"), count(o, "bounced"),
              String.valueOf(o.effects().stream().filter(e -> !List.of("replied", "paused", "bounced").contains(e.action())).count()))).toList());
      List<List<String>> rows = new ArrayList<>();
      for (ReplySync.OwnerSync o : owners) {
        for (ReplySync.Effect e : o.effects()) {
          rows.add(List.of(o.owner(), e.sender() == null ? "-" : e.sender(), e.kind(), e.matchReason() == null ? "-" : e.matchReason(), e.action(),
              e.pausedUntil() != null ? "until " + e.pausedUntil() : e.status() != null ? e.status() : e.marker()));
        }
      }
      if (!rows.isEmpty()) {
        p.blank();
        p.table(List.of("owner", "from", "class", "matched by", "action", "detail"), rows);
      }
      for (ReplySync.OwnerSync o : owners) {
        if (o.resynced()) {
          p.blank();
          p.line(o.owner() + ": the mailbox's cursor had expired (Gmail: history id too old, 404; Graph: delta token gone, 410), so this round re-read the inbox since the last sync");
        }
      }
      for (ReplySync.OwnerSync o : owners) {
        if (!o.ok()) {
          p.blank();
          p.line(o.owner() + ": " + o.error());
        }
      }
      alerts.forEach(a -> p.line("sent a watch " + a.kind() + " for " + a.owner()));
    }

    private static String count(ReplySync.OwnerSync o, String action) {
      return String.valueOf(o.effects().stream().filter(e -> e.action().equals(action)).count());
    }
  }

  static Map<String, Object> effect(ReplySync.Effect e) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("id", e.sourceId());
    x.put("from", e.sender());
    x.put("class", e.kind());
    x.put("marker", e.marker());
    x.put("recipient", e.recipient());
    x.put("delivery_id", e.matchedDeliveryId());
    x.put("match_reason", e.matchReason());
    x.put("action", e.action());
    x.put("enrollments_changed", e.enrollments());
    x.put("paused_until", e.pausedUntil() == null ? null : e.pausedUntil().toString());
    x.put("status", e.status());
    return x;
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (follow && !execute.execute) {
      throw new CommsException(ExitCode.USAGE, "--follow keeps applying what the inboxes say; add --execute (a dry run reads once)");
    }
    String now = app.env().get("COMMS_NOW");
    if (follow && now != null && !now.isBlank()) {
      throw new CommsException(ExitCode.USAGE, "--follow waits on the real clock; unset COMMS_NOW to follow");
    }
    List<String> owners = Replies.owners(app, owner);
    Inbox inbox = Replies.inbox(app);
    app.mode(Replies.live(app) ? "live" : "simulation");
    AuditTrail.Action action = AuditTrail.Action.of("replies.sync", "inbox", null).with("owners", owners.size()).with("source", inbox.source());
    boolean apply =
        Approval.granted(
            app, execute.execute,
            "About to sync " + owners.size() + " inbox" + (owners.size() == 1 ? "" : "es") + " (" + inbox.source() + "): " + String.join(", ", owners)
                + "\n  and apply what they say: replies end enrollments, out-of-office replies pause them, hard bounces suppress the address.",
            action);
    ReplySync sync = Replies.sync(app, inbox, app.clock(), app.audit());
    Watches watches = Replies.watches(app);
    WatchAlerts alerts = Replies.alerts(app, watches);
    List<ReplySync.OwnerSync> last;
    List<WatchAlerts.Sent> sent = new ArrayList<>();
    while (true) {
      last = new ArrayList<>();
      for (String o : owners) {
        last.add(sync.sync(o, apply));
      }
      if (apply) {
        sent.addAll(alerts.check(app.clock().instant()));
        app.artifact(app.outbox().store());
      }
      if (!follow) {
        break;
      }
      long changed = last.stream().mapToLong(o -> o.effects().size()).sum();
      app.err().println("replies.sync: " + app.clock().instant() + ": " + owners.size() + " inboxes, " + changed + " new messages, "
          + last.stream().filter(o -> !o.ok()).count() + " failed");
      app.err().flush();
      if (!WorkerRun.Waiting.REAL.sleep(60_000)) {
        break;
      }
    }
    app.render(new SyncView(last, sent, apply));
    return last.stream().allMatch(ReplySync.OwnerSync::ok) ? 0 : ExitCode.PROVIDER.code();
  }
}
