package comms.cli.commands;

import comms.cli.App;
import comms.core.contract.StackContract;
import java.util.List;

/** Messages that simulated send-tests delivered into the pilot mailboxes (kept in the outbox). */
final class SimulatedMailbox {
  private SimulatedMailbox() {}

  static comms.core.mail.SimulatedMailbox of(App app) {
    return new comms.core.mail.SimulatedMailbox(app.outbox().simulatedMailbox());
  }

  static List<StackContract.CatalogMessage> delivered(App app) {
    return of(app).messages();
  }
}
