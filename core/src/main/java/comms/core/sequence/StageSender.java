package comms.core.sequence;

import comms.core.CommsException;
import comms.core.delivery.GovernedSend;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.ArrayList;
import java.util.List;

/** Sends one stage to one enrollment through the governed path, as the sequence's owner, under {@code idempotencyKey}. */
@FunctionalInterface
public interface StageSender {
  comms.core.delivery.SendOutcome send(SequenceRow sequence, EnrollmentRow enrollment, int stage, SequencePlan.StagePlan plan, String idempotencyKey);

  /** One stage send of a batch. */
  record Call(SequenceRow sequence, EnrollmentRow enrollment, int stage, SequencePlan.StagePlan plan, String idempotencyKey) {}

  /**
   * Several stage sends, in order; an entry is null when it was not tried (a cap refused an earlier
   * one of the same owner). By default one by one; {@link GovernedStageSender} commits them in groups.
   */
  default List<GovernedSend.Settled> sendAll(List<Call> calls) {
    List<GovernedSend.Settled> out = new ArrayList<>(calls.size());
    for (Call c : calls) {
      try {
        out.add(new GovernedSend.Settled(send(c.sequence(), c.enrollment(), c.stage(), c.plan(), c.idempotencyKey()), null));
      } catch (CommsException e) {
        out.add(new GovernedSend.Settled(null, e));
      }
    }
    return out;
  }
}
