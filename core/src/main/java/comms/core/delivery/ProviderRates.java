package comms.core.delivery;

import comms.core.Timestamps;
import comms.core.contract.ProvidersContract;
import comms.core.store.SendPacing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider's send rate on the governed path, in two steps around the work between admission and
 * the request: {@link #await} books the send's slot ({@link SendPacing#reserve}) and waits for it, or
 * refuses when the slot is more than {@link GovernedSend#RATE_AHEAD} windows away; {@link #depart},
 * called just before the request leaves, spaces the departures themselves ({@link SendPacing#depart}),
 * so a send that left its slot late does not bring the next one closer to it than the rate allows;
 * {@link #answered} holds the next departure back by whatever a request took beyond the round trip.
 * Both keep {@link GovernedSend#spacing} between sends: 98 % of the rate. Shared by every send that
 * has a provider rate (stage and one-off sends, pilot send-tests through Graph).
 */
final class ProviderRates {
  /** Where the send is counted: a scope (the provider, or one of its senders), its units and the rate. */
  record Scope(String name, int units, ProvidersContract.Rate rate) {}

  private final SendPacing pacing;
  private final Clock clock;

  ProviderRates(SendPacing pacing, Clock clock) {
    this.pacing = pacing;
    this.clock = clock;
  }

  /** Whether {@code pacer} paces at all here (only on the real clock, with a store to share the slots). */
  boolean paces(Pacer pacer) {
    return pacing != null && pacer.paces();
  }

  /** Waits for the send's slot; empty to go ahead, else the refusal {@code rate_limited:INSTANT} (when the slot opens). */
  Optional<String> await(Pacer pacer, Scope s) {
    if (!paces(pacer)) {
      return Optional.empty();
    }
    Duration spacing = GovernedSend.spacing(s.rate());
    Duration ahead = spacing.multipliedBy((long) s.rate().limit() * GovernedSend.RATE_AHEAD);
    Instant now = clock.instant();
    Optional<Instant> slot = pacing.reserve(s.name(), s.units(), spacing, now, ahead);
    if (slot.isEmpty()) {
      Instant opens = pacing.nextAt(s.name()).orElse(now).minus(ahead);
      return Optional.of(GovernedSend.RATE_LIMITED + ":" + Timestamps.format(opens.isAfter(now) ? opens : now));
    }
    pacer.waitUntil(slot.get());
    return Optional.empty();
  }

  /**
   * Just before the request of {@code deliveryId} leaves: no sooner than one spacing after the scope's
   * last departure, from any process, and not while another run's first request is in flight. This
   * run's own first request to the scope holds it so (for at most {@link #COLD_HOLD}): nothing bounds
   * when a cold request (new connection, classes still loading) reaches the provider until it has been
   * answered.
   */
  void depart(Pacer pacer, Scope s, String deliveryId) {
    if (!paces(pacer)) {
      return;
    }
    Duration spacing = GovernedSend.spacing(s.rate());
    boolean cold = !quickest.containsKey(s.name());
    while (true) {
      Instant now = clock.instant();
      SendPacing.Departure d = pacing.departure(s.name(), s.units(), spacing, now, cold ? COLD_HOLD : null);
      if (d.left()) {
        departed.put(deliveryId, new Left(now, cold));
        return;
      }
      // Ask again then, or sooner while a hold (which its run ends when answered) stands.
      Instant poll = now.plus(POLL);
      pacer.waitUntil(d.held() && d.next().isAfter(poll) ? poll : d.next());
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /**
   * The provider answered {@code deliveryId} (or failed to). The provider counts a request when it
   * arrives, which is somewhere between its departure and its answer; the quickest answer this run
   * has had from the scope is the round trip, and what took longer may have been spent before the
   * request arrived (a cold connection, a pause). So the scope's next departure is held back by as
   * much as the headroom of {@link GovernedSend#RATE_SHARE} does not absorb: a request that arrived
   * late never has the next one arrive closer to it than the rate's own interval.
   * The first request of a run has no round trip to compare with: all of its time counts, and its
   * hold on the scope ends.
   */
  void answered(Pacer pacer, Scope s, String deliveryId) {
    Left left = departed.remove(deliveryId);
    if (left == null || !paces(pacer)) {
      return;
    }
    Duration took = Duration.between(left.at(), clock.instant());
    Duration quickest = this.quickest.get(s.name());
    this.quickest.merge(s.name(), took, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    Duration spacing = GovernedSend.spacing(s.rate());
    // The headroom kept (spacing over the rate's own interval) absorbs as much lateness; only the rest holds the next one back.
    Duration extra = left.cold() ? took : took.minus(quickest).minus(spacing.minus(s.rate().interval()));
    if (left.cold() || extra.compareTo(Duration.ofMillis(1)) >= 0) {
      pacing.holdDepartures(s.name(), left.at().plus(spacing.multipliedBy(s.units())).plus(extra), left.cold());
    }
  }

  /** How long a run's first request to a scope holds it at most (in case the run dies before the answer). */
  static final Duration COLD_HOLD = Duration.ofSeconds(15);

  /** How often a send waiting on a held scope asks again. */
  static final Duration POLL = Duration.ofMillis(20);

  /** When a request left, and whether it was the run's first to its scope. */
  private record Left(Instant at, boolean cold) {}

  /** Each request this run sent that is on its way (until it is answered). */
  private final Map<String, Left> departed = new ConcurrentHashMap<>();

  /** The quickest answer this run has had from each scope (a property of its connection to the provider). */
  private final Map<String, Duration> quickest = new ConcurrentHashMap<>();
}
