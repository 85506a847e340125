package comms.core.sequence;

import comms.core.delivery.SendOutcome;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SequenceStore.SequenceRow;

/** Sends one stage to one enrollment through the governed path, as the sequence's owner, under {@code idempotencyKey}. */
@FunctionalInterface
public interface StageSender {
  SendOutcome send(SequenceRow sequence, EnrollmentRow enrollment, int stage, SequencePlan.StagePlan plan, String idempotencyKey);
}
