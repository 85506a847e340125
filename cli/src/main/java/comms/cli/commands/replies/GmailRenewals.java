package comms.cli.commands.replies;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.ProvidersContract;
import comms.core.store.GmailWatchStore;
import comms.core.store.Roster;
import java.time.Clock;
import java.util.Optional;

/** The live worker's pass: every active Gmail owner's watch is renewed when it is due (a failure is a warning, and the watch rule then holds later stages). */
public final class GmailRenewals {
  private GmailRenewals() {}

  public static void renewDue(App app, Clock clock) {
    GmailOwners gmail = new GmailOwners(app);
    GmailWatchStore store = GmailWatchStore.of(app.store());
    for (Roster.Operator op : app.roster().list()) {
      if (!op.active()) {
        continue;
      }
      Optional<ProvidersContract.Provider> p = gmail.provider(op.email());
      if (p.isEmpty() || !comms.core.provider.GmailWatches.due(store.watch(op.email()), clock.instant())) {
        continue;
      }
      try {
        gmail.watches(p.get(), clock).renew(op.email());
      } catch (CommsException e) {
        app.warn("could not renew the Gmail watch of " + op.email() + ": " + e.getMessage());
      }
    }
  }
}
