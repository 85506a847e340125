package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.AuditTrail;
import comms.core.operator.Permissions;

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

  /** As {@link #granted(App, boolean, String)}, writing the audit row of a declined attempt before exit 5. */
  static boolean granted(App app, boolean execute, String summary, AuditTrail.Action action) {
    try {
      return granted(app, execute, summary);
    } catch (CommsException e) {
      if (e.exitCode() == ExitCode.DECLINED) {
        app.audit().record(action.with("outcome", "declined").with("exit_code", ExitCode.DECLINED.code()));
      }
      throw e;
    }
  }

  /**
   * Refuses an action this identity may not take (exit 4). With --execute the attempt gets its audit
   * row first; a dry run writes nothing.
   */
  static void refuse(App app, boolean execute, Permissions.Refusal refusal, AuditTrail.Action action) {
    if (execute) {
      app.audit().record(action.with("outcome", "refused").with("error", refusal.code()).with("exit_code", ExitCode.POLICY.code()));
    }
    throw new CommsException(ExitCode.POLICY, refusal.message() + (execute ? "" : " (dry run: nothing was written)"));
  }

  /**
   * The audit row of a change the store refused after approval (exit 4: another process changed the
   * roster first); the change itself was rolled back with nothing written.
   */
  static void auditRefusedInStore(App app, CommsException e, AuditTrail.Action action) {
    if (e.exitCode() == ExitCode.POLICY) {
      app.audit().record(action.with("outcome", "refused").with("error", "refused_by_store").with("exit_code", ExitCode.POLICY.code()));
    }
  }
}
