package comms.cli.commands;

import comms.cli.App;
import comms.core.stack.ParityCheck;
import comms.core.stack.StackStatus;
import java.util.List;

/** The live Graph probe stack.status runs in live-pilot mode. */
final class LiveProbe {
  private LiveProbe() {}

  static List<ParityCheck> run(App app, StackStatus.Report report) {
    if (!"live-pilot".equals(report.sendTestMode())) {
      return List.of();
    }
    return List.of(
        ParityCheck.fail(
            "graph probe",
            "cannot probe: this build has no live Microsoft Graph client yet, so the pilot mailbox was NOT checked",
            null));
  }
}
