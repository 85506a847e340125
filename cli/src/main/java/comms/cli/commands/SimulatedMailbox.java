package comms.cli.commands;

import comms.cli.App;
import comms.core.contract.StackContract;
import java.util.List;

/** Messages that simulated send-tests delivered into the pilot mailboxes (kept in the outbox). */
final class SimulatedMailbox {
  private SimulatedMailbox() {}

  static List<StackContract.CatalogMessage> delivered(App app) {
    return List.of();
  }
}
