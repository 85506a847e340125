package comms.cli.commands;

import comms.cli.commands.sequence.Approval;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.operator.AuditTrail;
import comms.core.operator.Permissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The --execute switch every mutating command shares, and the governed change it drives (core's
 * GovernedChange): without it a dry run that changes nothing; with it the stdin yes, the change and
 * its audit row together, and the store in the run's receipt.
 */
public final class ExecuteOption {
  @Option(names = "--execute", description = "Apply it (after you type yes on stdin). Without it: a dry run that changes nothing.")
  public boolean execute;

  /** Whether --execute was given. */
  public boolean execute() {
    return execute;
  }

  /** True once the person said yes; false (and the dry-run note) without --execute. Core writes the change and its row. */
  public boolean approved(App app, String summary, AuditTrail.Action action) {
    return Approval.granted(app, execute, summary, action);
  }

  /** Dry run, or yes then {@code change} and its audit row ({@code outcome} of its result) in one transaction; empty for a dry run. */
  public <T> Optional<T> apply(App app, String summary, AuditTrail.Action action, Supplier<T> change, Function<T, Map<String, Object>> outcome) {
    return Approval.apply(app, execute, summary, action, change, outcome);
  }

  /** As {@link #apply(App, String, AuditTrail.Action, Supplier, Function)}, the row closing with outcome applied, exit 0. */
  public <T> Optional<T> apply(App app, String summary, AuditTrail.Action action, Supplier<T> change) {
    return apply(app, summary, action, change, x -> AuditTrail.outcome("applied", 0));
  }

  /** Refuses (exit 4) an action this identity may not take; with --execute the attempt is audited first. */
  public CommsException refuse(App app, Permissions.Refusal refusal, AuditTrail.Action action) {
    return Approval.refuse(app, execute, refusal, action);
  }
}
