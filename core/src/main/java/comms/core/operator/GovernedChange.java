package comms.core.operator;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.delivery.Approver;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one governed path of a change that is not a send (consent, suppression, operators, inbound
 * keywords, sequences, approvals): a dry run that writes nothing unless {@code execute}; else the
 * person's yes, then the change and its audit row in one transaction. A refusal, a decline and a
 * change the store refused after approval each leave their own audit row; a dry run leaves none.
 */
public final class GovernedChange {
  private final AuditTrail audit;
  private final Approver approver;

  public GovernedChange(AuditTrail audit, Approver approver) {
    this.audit = Objects.requireNonNull(audit);
    this.approver = Objects.requireNonNull(approver);
  }

  /** One change: its audit action, what the person is shown before they answer, and whether to execute it. */
  public record Request(AuditTrail.Action action, String summary, boolean execute) {
    public Request {
      Objects.requireNonNull(action);
      Objects.requireNonNull(summary);
    }
  }

  /**
   * Asks for the change: false for a dry run (nothing asked, nothing written), true once the person
   * said yes. Anything but yes writes the declined row and ends the run with exit 5, nothing changed.
   */
  public boolean approved(Request r) {
    if (!r.execute()) {
      return false;
    }
    if (!approver.approve(r.summary())) {
      audit.record(r.action().with("outcome", "declined").with("exit_code", ExitCode.DECLINED.code()));
      throw new CommsException(ExitCode.DECLINED, "declined: nothing was changed");
    }
    return true;
  }

  /**
   * Applies an approved change and writes its row ({@code outcome} of the change's result) in one
   * transaction. A change the store refused (exit 4: another process changed the roster first) is
   * rolled back and gets a row of its own before the exception goes on.
   */
  public <T> T apply(AuditTrail.Action action, Supplier<T> change, Function<T, Map<String, Object>> outcome) {
    try {
      return audit.apply(action, change, outcome);
    } catch (CommsException e) {
      if (e.exitCode() == ExitCode.POLICY) {
        audit.record(action.with("outcome", "refused").with("error", "refused_by_store").with("exit_code", ExitCode.POLICY.code()));
      }
      throw e;
    }
  }

  /** {@link #approved} then {@link #apply}: empty for a dry run, else what the change returned. */
  public <T> Optional<T> run(Request r, Supplier<T> change, Function<T, Map<String, Object>> outcome) {
    if (!approved(r)) {
      return Optional.empty();
    }
    return Optional.of(apply(r.action(), change, outcome));
  }

  /** As {@link #run} for a change whose closing row says only that it was applied (exit 0). */
  public <T> Optional<T> run(Request r, Supplier<T> change) {
    return run(r, change, x -> AuditTrail.outcome("applied", 0));
  }

  /**
   * Refuses an action this identity may not take (exit 4, the refusal's sentence). With {@code
   * execute} the attempt gets its audit row first; a dry run writes nothing and says so.
   */
  public static CommsException refuse(AuditTrail audit, boolean execute, Permissions.Refusal refusal, AuditTrail.Action action) {
    if (execute) {
      audit.record(action.with("outcome", "refused").with("error", refusal.code()).with("exit_code", ExitCode.POLICY.code()));
    }
    throw new CommsException(ExitCode.POLICY, refusal.message() + (execute ? "" : " (dry run: nothing was written)"));
  }

  /** As {@link #refuse(AuditTrail, boolean, Permissions.Refusal, AuditTrail.Action)} with this change's trail. */
  public CommsException refuse(boolean execute, Permissions.Refusal refusal, AuditTrail.Action action) {
    return refuse(audit, execute, refusal, action);
  }
}
