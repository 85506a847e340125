package comms.core.delivery;

import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.store.IdempotencyStore;
import java.util.List;
import java.util.Optional;

/**
 * What a run knows about an idempotency claim it found in flight and did not make: the run that made
 * it died mid-dispatch (this run holds the dispatch lock), or it ran on another host sharing the store,
 * whose delivery log and dispatch locks this run cannot see. In that order:
 *
 * <ol>
 *   <li>{@link Logged}: this outbox's delivery log has the claim's line: it went; reconcile.
 *   <li>{@link Answered}: the store recorded the provider's answer ({@link IdempotencyStore#dispatched},
 *       written before any host's log line): it went, wherever; reconcile, its line written here.
 *   <li>{@link MayHaveSent}: neither can settle it: the dispatch may have reached the provider. It is
 *       sent again under the same idempotency key (and delivery) only through a provider that
 *       de-duplicates on it ({@link ProviderDirectory#deduplicates}); otherwise it is held until a
 *       person checked and runs again with --retry-interrupted. Never re-sent on its own.
 * </ol>
 *
 * One rule for one host and for a team: on one host only the last window (the provider called, its
 * answer not yet in the store) is left to {@link MayHaveSent}; across hosts nothing more is.
 */
final class InterruptedClaim {
  private InterruptedClaim() {}

  sealed interface Verdict {}

  /** The claim's line in this outbox's delivery log. */
  record Logged(DeliveryRecord line) implements Verdict {}

  /** The provider's answer, as the store recorded it. */
  record Answered(IdempotencyStore.Dispatched answer) implements Verdict {}

  /** Nothing settles it: the message may have been sent. */
  record MayHaveSent() implements Verdict {}

  /** The statuses of a line that says the message went. */
  static final List<String> WENT = List.of("sent", "simulated", "queued");

  /**
   * What settles {@code claim} (in flight under {@code key}). Only its own delivery counts: a key used
   * again after its window has older lines of an earlier message.
   */
  static Verdict of(IdempotencyStore.IdempotencyEntry claim, String key, DeliveryJournal journal) {
    String interrupted = claim.deliveryId();
    Optional<DeliveryRecord> logged =
        journal.newest(20, DeliveryJournal.Filter.ALL.idempotencyKey(key)).entries().stream()
            .filter(x -> WENT.contains(x.status()))
            .filter(x -> interrupted.equals(x.deliveryId()))
            .findFirst();
    if (logged.isPresent()) {
      return new Logged(logged.get());
    }
    Optional<IdempotencyStore.Dispatched> answered = claim.dispatched().filter(d -> WENT.contains(d.status()));
    if (answered.isPresent()) {
      return new Answered(answered.get());
    }
    return new MayHaveSent();
  }

  /** Why a send that {@link MayHaveSent} is held (exit 5): a person checks the provider first. */
  static String held(String provider, String key) {
    return "an earlier run was interrupted while sending this message through " + provider + " (it died mid-dispatch or got no answer, on this host"
        + " or on another sharing the store; idempotency key " + key + "); it may have arrived. Check the provider's console; if it did not arrive,"
        + " run again with --retry-interrupted";
  }
}
