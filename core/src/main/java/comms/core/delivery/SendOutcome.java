package comms.core.delivery;

import comms.core.ExitCode;

/**
 * How a governed send ended, as a closed set: callers (commands, the worker, the API) switch on the
 * kind instead of comparing status strings. Each carries the full {@link TransactionalSend.Outcome}.
 */
public sealed interface SendOutcome {
  TransactionalSend.Outcome detail();

  default ExitCode exit() {
    return detail().exit();
  }

  /** A dry run: previewed, nothing written. */
  record DryRun(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** Accepted by a live provider. */
  record Sent(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** Accepted by the simulation (nothing left the machine). */
  record Simulated(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** A gate failed, or another run was dispatching the same message. */
  record Blocked(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** A gate deferred the send (quiet hours, a window): try again at {@link #until}. */
  record Deferred(TransactionalSend.Outcome detail) implements SendOutcome {
    public java.time.Instant until() {
      return detail.preview().nextAllowedAt();
    }
  }

  /** The person asked said anything but yes. */
  record Declined(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** Refused by the provider, or by a cap just before dispatch. */
  record Failed(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** The retries ran out. */
  record DeadLettered(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** Already sent under the same idempotency key: nothing sent again. */
  record Duplicate(TransactionalSend.Outcome detail) implements SendOutcome {}

  /** The sealed kind of an engine outcome. */
  static SendOutcome of(TransactionalSend.Outcome o) {
    return switch (o.status()) {
      case "dry-run" -> new DryRun(o);
      case "sent", "queued" -> new Sent(o);
      case "simulated" -> new Simulated(o);
      case "blocked" -> o.preview().verdict() == comms.core.send.Preview.Verdict.deferred ? new Deferred(o) : new Blocked(o);
      case "declined" -> new Declined(o);
      case "failed" -> new Failed(o);
      case "dead_letter" -> new DeadLettered(o);
      case "duplicate" -> new Duplicate(o);
      default -> throw new IllegalStateException("a send ended in an unknown status '" + o.status() + "'");
    };
  }
}
