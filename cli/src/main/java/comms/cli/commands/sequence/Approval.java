package comms.cli.commands.sequence;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.operator.AuditTrail;
import comms.core.operator.GovernedChange;
import comms.core.operator.Permissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CLI side of core's {@link GovernedChange} for every mutating command: the run's audit trail and
 * stdin prompt, the dry-run note on stderr, and the store in the receipt. Commands reach it through
 * their {@link ExecuteOption}.
 */
public final class Approval {
  private Approval() {}

  private static GovernedChange governed(App app) {
    return new GovernedChange(app::audit, app.approver());
  }

  /**
   * True when the change may be applied. Without --execute it says so on stderr and returns false (a
   * dry run); a declined prompt writes its audit row and is exit 5 with nothing changed.
   */
  public static boolean granted(App app, boolean execute, String summary, AuditTrail.Action action) {
    if (!governed(app).approved(new GovernedChange.Request(action, summary, execute))) {
      dryRun(app);
      return false;
    }
    return true;
  }

  /**
   * The whole governed change: dry run, or yes then {@code change} with its audit row ({@code outcome}
   * of the result) in one transaction, the store noted for the receipt. Empty for a dry run.
   */
  public static <T> Optional<T> apply(
      App app, boolean execute, String summary, AuditTrail.Action action, Supplier<T> change, Function<T, Map<String, Object>> outcome) {
    Optional<T> done = governed(app).run(new GovernedChange.Request(action, summary, execute), change, outcome);
    if (done.isEmpty()) {
      dryRun(app);
    } else {
      app.artifact(app.outbox().store());
    }
    return done;
  }

  /**
   * Refuses an action this identity may not take (exit 4). With --execute the attempt gets its audit
   * row first; a dry run writes nothing.
   */
  public static CommsException refuse(App app, boolean execute, Permissions.Refusal refusal, AuditTrail.Action action) {
    throw governed(app).refuse(execute, refusal, action);
  }

  private static void dryRun(App app) {
    app.approval("not-asked");
    app.err().println("dry run: nothing was changed. Add --execute to apply it (you will be asked to type yes).");
    app.err().flush();
  }
}
