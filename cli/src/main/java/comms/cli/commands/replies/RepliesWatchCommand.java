package comms.cli.commands.replies;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.sequence.Approval;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.operator.AuditTrail;
import comms.core.store.GmailWatchStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms replies.watch --owner EMAIL`: set up or renew a Gmail owner's users.watch on their inbox. */
@ApprovalGated
@Command(
    name = "replies.watch",
    description = {
      "Set up or renew a Gmail owner's inbox watch.",
      "Calls Gmail's users.watch on the owner's INBOX with the Cloud Pub/Sub topic of their gmail provider (the providers contract's topic) and keeps the historyId and expiration Gmail answers; replies.sync then reads users.history from that historyId. In simulation nothing is called: the watch is recorded locally, as Gmail would answer (7 days).",
      "A multi-stage sequence of a Gmail owner is launched, and its later stages go, only while the watch is active: its expiration ahead and the last replies.sync fresh. replies.sync and the worker renew it when less than a day is left."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms replies.watch --owner sam@lakesideprint.com",
      "  echo yes | comms replies.watch --owner sam@lakesideprint.com --execute"
    })
public final class RepliesWatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--owner", paramLabel = "EMAIL", required = true, description = "The Gmail owner whose inbox to watch.")
  String owner;

  @Mixin ExecuteOption execute;

  record WatchView(String owner, String provider, String mode, String topic, GmailWatchStore.GmailWatch watch, boolean applied, Instant now) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("applied", applied);
      m.put("owner", owner);
      m.put("provider", provider);
      m.put("mode", mode);
      m.put("topic", topic);
      m.put("history_id", watch == null ? null : watch.historyId());
      m.put("expiration", watch == null ? null : watch.expiration().toString());
      m.put("active", watch != null && watch.live(now));
      m.put("renewal_due", watch == null || watch.due(now));
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("gmail watch of " + owner + (applied ? "" : " (dry run: Gmail was not called, nothing was changed)"));
      p.table(
          List.of("owner", "provider", "mode", "topic", "history id", "expires", "status"),
          List.of(List.of(
              owner, provider, mode, topic, watch == null ? "-" : watch.historyId(), watch == null ? "-" : watch.expiration().toString(),
              watch == null ? p.status("none") : watch.live(now) ? p.status(watch.due(now) ? "renewal due" : "active") : p.status("expired"))));
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    String o = Replies.owners(app, owner).get(0);
    GmailOwners gmail = new GmailOwners(app);
    ProvidersContract.Provider p = gmail.provider(o).orElseThrow(() -> new CommsException(
        ExitCode.USAGE, "--owner " + o + " has no Gmail mailbox (operators contract: mailbox.provider); replies.watch is for Gmail owners, whose replies.sync reads users.history"));
    if (p.topic() == null) {
      throw CommsException.config("provider " + p.name() + " names no Pub/Sub topic; add topic: projects/PROJECT_ID/topics/TOPIC to it in "
          + ProvidersContract.FILE + " (README, Gmail mailboxes)");
    }
    boolean live = Replies.live(app);
    app.mode(live ? "live" : "simulation");
    GmailWatchStore store = GmailWatchStore.of(app.store());
    AuditTrail.Action action = AuditTrail.Action.of("replies.watch", "gmail_watch", null).with("owner_sha256", AuditTrail.hash(o)).with("provider", p.name())
        .with("mode", live ? "live" : "simulation");
    Optional<GmailWatchStore.GmailWatch> done = Approval.apply(
        app, execute.execute,
        "About to " + (live ? "call Gmail's users.watch for " : "record a simulated Gmail watch for ") + o + " (INBOX, topic " + p.topic() + ")",
        action,
        () -> {
          if (live) {
            return gmail.watches(p, app.clock()).renew(o);
          }
          Instant now = app.clock().instant();
          store.watched(o, p.topic(), "0", now.plus(GmailWatchStore.SIMULATED_LIFETIME), now);
          return store.watch(o).orElseThrow();
        },
        w -> Map.of("outcome", "watching", "expiration", w.expiration().toString()));
    GmailWatchStore.GmailWatch shown = done.orElseGet(() -> store.watch(o).orElse(null));
    app.render(new WatchView(o, p.name(), live ? "live" : "simulation", p.topic(), shown, done.isPresent(), app.clock().instant()));
    return 0;
  }
}
