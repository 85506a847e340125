package comms.cli.commands.send;

import comms.cli.App;
import comms.core.contract.ProvidersContract;
import comms.core.mail.SendTest;
import comms.core.provider.GraphMailbox;

/** The live Microsoft Graph mailer for send-tests (built only in live-pilot mode, checked before approval). */
public final class LiveMail {
  private LiveMail() {}

  static SendTest.LiveMailer mailer(App app, ProvidersContract.Provider graph) {
    if (!app.bindings().stack().pilot().live()) {
      return (f, t, s, b, d) -> {
        throw new IllegalStateException("simulation never sends live");
      };
    }
    GraphMailbox mailbox = LiveAdapters.of(app).mailbox(graph);
    return (from, to, subject, body, deliveryId) -> mailbox.sendMail(from, to, subject, body, deliveryId).providerMessageId();
  }
}
