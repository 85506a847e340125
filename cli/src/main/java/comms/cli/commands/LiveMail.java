package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.mail.SendTest;

/** The live Microsoft Graph mailer for send-tests. */
final class LiveMail {
  private LiveMail() {}

  static SendTest.LiveMailer mailer(App app, ProvidersContract.Provider graph) {
    if (!app.bindings().stack().pilot().live()) {
      return (f, t, s, b, d) -> {
        throw new IllegalStateException("simulation never sends live");
      };
    }
    throw new CommsException(
        ExitCode.CONTRACT,
        "pilot.send_test.mode is live-pilot, but this build has no live Microsoft Graph client yet; nothing was sent."
            + " Set send_test.mode: simulation to rehearse.");
  }
}
