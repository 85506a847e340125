package comms.cli.commands.replies;

import comms.cli.commands.send.LiveAdapters;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.OperatorsContract;
import comms.core.contract.ProvidersContract;
import comms.core.operator.Sender;
import comms.core.provider.GmailInbox;
import comms.core.provider.GmailMailbox;
import comms.core.provider.GmailWatches;
import comms.core.reply.Inbox;
import comms.core.reply.RenewingInbox;
import comms.core.store.GmailWatchStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operators whose own mailbox is Gmail (the operators contract's {@code mailbox: {provider: …}}):
 * their gmail provider, its live client (built once per run, only when used), their watches and inbox.
 */
public final class GmailOwners {
  private final App app;
  private final Map<String, GmailMailbox> live = new HashMap<>();

  public GmailOwners(App app) {
    this.app = app;
  }

  /** The owner's gmail provider, when their mailbox is Gmail. */
  Optional<ProvidersContract.Provider> provider(String owner) {
    OperatorsContract ops = app.bindings().operators();
    return Sender.ownMailbox(ops, owner).map(name -> app.bindings().providers().provider(name).orElseThrow(
        () -> CommsException.config("operator " + owner + "'s mailbox names provider '" + name + "', which " + ProvidersContract.FILE + " does not define")));
  }

  boolean isGmail(String owner) {
    return Sender.ownMailbox(app.bindings().operators(), owner).isPresent();
  }

  /** The live Gmail client of provider {@code p}, with each operator's refresh-token variable from the operators contract. */
  public GmailMailbox mailbox(ProvidersContract.Provider p) {
    return live.computeIfAbsent(p.name(), n -> {
      return LiveAdapters.of(app).gmail(p);
    });
  }

  GmailWatches watches(ProvidersContract.Provider p, Clock clock) {
    return new GmailWatches(mailbox(p).api(), p.name(), p.topic(), GmailWatchStore.of(app.store()), clock);
  }

  /** A Gmail owner's inbox: live, users.history through the API; in simulation, the simulated inbox with a locally renewed watch. */
  Inbox inbox(String owner, boolean isLive, Inbox simulated, Clock clock) {
    Optional<ProvidersContract.Provider> p = provider(owner);
    if (p.isEmpty()) {
      return null;
    }
    if (!isLive) {
      GmailWatchStore store = GmailWatchStore.of(app.store());
      return new RenewingInbox(simulated, o -> store.simulateIfDue(o, p.get().topic(), clock.instant()));
    }
    return new GmailInbox(mailbox(p.get()).api(), watches(p.get(), clock), GmailWatchStore.of(app.store()), clock);
  }
}
