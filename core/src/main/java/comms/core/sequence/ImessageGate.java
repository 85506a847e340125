package comms.core.sequence;

import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SequenceStore.SequenceRow;
import java.time.Instant;
import java.util.Optional;

/** What stands between a due iMessage stage and the queue: an owner off the allowlist, a missing prerequisite, the hours, the daily cap. */
@FunctionalInterface
public interface ImessageGate {
  /**
   * Empty to go ahead; else a hold: skipped for good ({@code until} null) or deferred until {@code
   * until}, with its reason. {@code pending} counts the owner's iMessages the worker already cleared
   * in its current batch and has not queued yet (the daily cap counts them too).
   */
  Optional<Hold> hold(SequenceRow sequence, EnrollmentRow enrollment, Instant now, int pending);

  /** Why a stage does not go now, and until when (null: never; it is skipped). */
  record Hold(String reason, Instant until) {}

  /** A worker given no iMessage gate skips every iMessage stage. */
  ImessageGate UNAVAILABLE = (s, e, now, pending) -> Optional.of(new Hold("imessage_unavailable", null));
}
