package comms.cli.commands.replies;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.contract.SequencesContract;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.provider.SlackWebhook;
import comms.core.reply.Inbox;
import comms.core.reply.ReplySync;
import comms.core.reply.SimulatedInbox;
import comms.core.reply.WatchAlerts;
import comms.core.reply.Watches;
import comms.core.store.ReplyStore;
import comms.core.store.Roster;
import java.time.Clock;
import java.util.List;

/** Wires the reply services of core for a command's run: the owners' inboxes, the sync, the watches and their alerts. */
public final class Replies {
  private Replies() {}

  /** Live when the delivery contract sends for real: the owners' inboxes are then read through Microsoft Graph. */
  public static boolean live(App app) {
    return app.bindings().delivery().live();
  }

  public static SimulatedInbox simulatedInbox(App app) {
    return new SimulatedInbox(app.outbox().simulatedInbox());
  }

  public static Inbox inbox(App app) {
    return live(app) ? LiveReplies.inbox(app) : simulatedInboxes(app, app.clock());
  }

  /** The simulated inbox of every owner; a Gmail owner's applied sync also renews their (simulated) Gmail watch when due. */
  public static Inbox simulatedInboxes(App app, Clock clock) {
    SimulatedInbox simulated = simulatedInbox(app);
    GmailOwners gmail = new GmailOwners(app);
    return new comms.core.reply.OwnerInboxes(simulated, owner -> gmail.inbox(owner, false, simulated, clock));
  }

  public static ReplySync sync(App app, Inbox inbox, Clock clock, AuditTrail audit) {
    return new ReplySync(new ReplySync.Parts(app.store(), inbox, app.bindings().sequences().outOfOfficePauseDays(), clock, audit));
  }

  public static Watches watches(App app) {
    return gmail(app, new Watches(ReplyStore.of(app.store()), app.bindings().sequences().watchMaxAge()));
  }

  /** {@code w} with the Gmail rule: an owner whose mailbox is Gmail needs an active Gmail watch too. */
  public static Watches gmail(App app, Watches w) {
    GmailOwners gmail = new GmailOwners(app);
    return w.gmail(gmail::isGmail, comms.core.store.GmailWatchStore.of(app.store()));
  }

  /** The alerts of stale watches, to the Slack webhook whose URL is in the variable the contract names (none when it names none or it is unset). */
  public static WatchAlerts alerts(App app, Watches watches) {
    SequencesContract.WatchAlert a = app.bindings().sequences().watchAlert();
    String url = a.webhookEnv() == null ? null : app.env().get(a.webhookEnv());
    WatchAlerts.Channel channel = url == null || url.isBlank() ? null : new SlackWebhook(url)::post;
    return new WatchAlerts(ReplyStore.of(app.store()), watches, a.after(), channel, app::warn);
  }

  /**
   * The owners whose inboxes a run reads: {@code owner} when given (yourself, or anyone for an admin),
   * else every active operator for an admin, else yourself.
   */
  public static List<String> owners(App app, String owner) {
    Identity who = app.identity();
    if (owner != null) {
      String o = Recipients.normalize(owner);
      Roster.Operator op = app.roster().find(o).orElseThrow(() -> new CommsException(ExitCode.USAGE, "--owner " + owner + " is not an operator (comms operators.list)"));
      if (!who.admin() && !o.equals(who.owner())) {
        throw new CommsException(ExitCode.POLICY, who.owner() + " may read only their own inbox; --owner " + o + " needs an admin");
      }
      return List.of(op.email());
    }
    if (!who.admin()) {
      return List.of(who.owner());
    }
    return app.roster().list().stream().filter(Roster.Operator::active).map(Roster.Operator::email).toList();
  }
}
