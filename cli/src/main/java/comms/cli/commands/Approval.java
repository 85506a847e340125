package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;

/** The approval step every mutating command shares: dry run without --execute, else a literal yes on stdin. */
final class Approval {
  private Approval() {}

  /**
   * True when the change may be applied. Without --execute it says so on stderr and returns false (a
   * dry run); a declined prompt is exit 5 with nothing changed.
   */
  static boolean granted(App app, boolean execute, String summary) {
    if (!execute) {
      app.approval("not-asked");
      app.err().println("dry run: nothing was changed. Add --execute to apply it (you will be asked to type yes).");
      app.err().flush();
      return false;
    }
    if (!app.approver().approve(summary)) {
      throw new CommsException(ExitCode.DECLINED, "declined: nothing was changed");
    }
    return true;
  }
}
