package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.ProvidersContract;
import comms.core.outbox.FaultPoint;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.store.SendPacing;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider rates on the governed path: sends spaced one interval apart, never more per window than the limit, refused when booked too far ahead. */
class GovernedSendRateTest {
  static final Instant NOON_CHICAGO = GovernedSendTest.NOON_CHICAGO;

  /** The governed path's fixture (contracts, store, outbox), shared with the path's own tests. */
  final GovernedSendTest base = new GovernedSendTest();

  {
    // GovernedSendTest runs on both store engines; the rate tests use its SQLite set-up.
    base.backend = comms.core.store.StoreBackend.SQLITE;
  }

  @TempDir Path outbox;
  Store store;

  @BeforeEach
  void open() {
    base.outbox = outbox;
    base.open();
    store = base.store;
  }

  @AfterEach
  void close() {
    base.close();
  }

  /** A clock that moves only when a send waits for its slot: real time without the waiting. */
  static final class SteppedClock extends Clock {
    Instant now;

    SteppedClock(Instant start) {
      now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final List<Instant> dispatched = new ArrayList<>();

  /** How late each wait that has to wait returns (a busy machine oversleeps), in order; none when empty. */
  final java.util.ArrayDeque<Duration> oversleeps = new java.util.ArrayDeque<>();

  /** Runs inside the next request, before it is answered (another run sending meanwhile). */
  Runnable whileInFlight;

  /** How long the provider takes to answer each send, in order (none when empty). */
  final java.util.ArrayDeque<Duration> latencies = new java.util.ArrayDeque<>();

  GovernedSend paced(SteppedClock clock) {
    ProviderDirectory recording =
        new ProviderDirectory() {
          @Override
          public Provider provider(ProvidersContract.Provider provider, boolean live) {
            return new Provider() {
              @Override
              public String name() {
                return provider.name();
              }

              @Override
              public DispatchResult send(Dispatch d) {
                dispatched.add(clock.instant());
                Runnable meanwhile = whileInFlight;
                whileInFlight = null;
                if (meanwhile != null) {
                  meanwhile.run();
                }
                Duration took = latencies.poll();
                if (took != null) {
                  clock.now = clock.now.plus(took);
                }
                return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
              }
            };
          }

          @Override
          public boolean deduplicates(ProvidersContract.Provider provider, boolean live) {
            return true;
          }
        };
    return base.path(null, clock, recording, FaultPoint.NONE)
        .pacer(
            new Pacer() {
              @Override
              public boolean paces() {
                return true;
              }

              @Override
              public void waitUntil(Instant slot) {
                if (slot.isAfter(clock.now)) {
                  Duration late = oversleeps.poll();
                  clock.now = late == null ? slot : slot.plus(late);
                }
              }
            });
  }

  /** Resend's 2 a second, kept at 98 %: 500 ms × 50/49 between sends, rounded up to the millisecond. */
  static final Duration RESEND_SPACING = Duration.ofMillis(511);

  @Test
  void sendsThroughResendAreSpacedAt98PercentOfTheRateAndNoSecondHoldsMoreThanTwo() {
    assertEquals(RESEND_SPACING, GovernedSend.spacing(ProvidersContract.Rate.defaultFor("resend")));
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    GovernedSend path = paced(clock);
    for (int i = 0; i < 7; i++) {
      assertInstanceOf(SendOutcome.Simulated.class, path.send(GovernedSendTest.execute(GovernedSendTest.email("pat" + i + "@example.com", "R" + i)), base.answering(true)));
    }
    assertEquals(7, dispatched.size());
    for (int i = 0; i < dispatched.size(); i++) {
      assertEquals(NOON_CHICAGO.plus(RESEND_SPACING.multipliedBy(i)), dispatched.get(i), "send " + i);
    }
    assertNoSecondHoldsMoreThanTwo();
  }

  @Test
  void aSendThatLeavesItsSlotLateHoldsTheNextOneBackSoTheRequestsStaySpaced() {
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    GovernedSend path = paced(clock);
    // The first wait returns 300 ms late, the fourth 450 ms (a busy machine oversleeps): without spacing
    // the departures too, the send after each late one would leave 210 ms (60 ms) after it.
    oversleeps.addAll(List.of(Duration.ofMillis(300), Duration.ZERO, Duration.ZERO, Duration.ofMillis(450)));
    for (int i = 0; i < 8; i++) {
      assertInstanceOf(SendOutcome.Simulated.class, path.send(GovernedSendTest.execute(GovernedSendTest.email("pat" + i + "@example.com", "L" + i)), base.answering(true)));
    }
    assertEquals(8, dispatched.size());
    for (int i = 1; i < dispatched.size(); i++) {
      Duration gap = Duration.between(dispatched.get(i - 1), dispatched.get(i));
      assertTrue(gap.compareTo(RESEND_SPACING) >= 0, "send " + i + " left " + gap.toMillis() + " ms after the one before");
    }
    assertNoSecondHoldsMoreThanTwo();
    // Nothing is lost but the lateness: the sends after a late one keep its lag (the longer lag covers
    // the shorter), so the last leaves 7 spacings and 450 ms after the first, still at the full pace.
    assertEquals(NOON_CHICAGO.plus(RESEND_SPACING.multipliedBy(7)).plusMillis(450), dispatched.get(7));
  }

  @Test
  void aRequestThatTookLongerThanTheRoundTripHoldsTheNextOneBackByAsMuch() {
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    GovernedSend path = paced(clock);
    // The round trip is 2 ms; the first request (a cold connection) takes 80 ms, the fourth 30 ms. The
    // provider counts a request when it arrives: at worst, all of the extra time is before that.
    List<Long> took = List.of(80L, 2L, 2L, 30L, 2L, 2L);
    took.forEach(ms -> latencies.add(Duration.ofMillis(ms)));
    for (int i = 0; i < took.size(); i++) {
      assertInstanceOf(SendOutcome.Simulated.class, path.send(GovernedSendTest.execute(GovernedSendTest.email("pat" + i + "@example.com", "A" + i)), base.answering(true)));
    }
    List<Instant> arrived = new ArrayList<>();
    for (int i = 0; i < took.size(); i++) {
      arrived.add(dispatched.get(i).plusMillis(took.get(i) - 2));
    }
    for (int i = 1; i < arrived.size(); i++) {
      Duration gap = Duration.between(arrived.get(i - 1), arrived.get(i));
      assertTrue(gap.compareTo(Duration.ofMillis(500)) >= 0, "request " + i + " arrived " + gap.toMillis() + " ms after the one before (Resend's interval: 500 ms)");
    }
    // The first request of a run: all of its time holds the next one back.
    assertEquals(NOON_CHICAGO.plus(RESEND_SPACING).plusMillis(80), dispatched.get(1));
    // Only the extra time is lost, less the 11 ms of headroom: the quick ones after a slow one are not held back.
    assertEquals(dispatched.get(1).plus(RESEND_SPACING), dispatched.get(2));
    assertEquals(dispatched.get(3).plus(RESEND_SPACING).plusMillis(28 - 11), dispatched.get(4));
    assertEquals(dispatched.get(4).plus(RESEND_SPACING), dispatched.get(5));
  }

  @Test
  void aRunsFirstRequestHoldsTheScopeUntilItIsAnsweredSoAnotherRunWaits() {
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    GovernedSend first = paced(clock);
    GovernedSend other = paced(clock);
    // While the first run's first request is in flight (nothing says yet when it reaches Resend),
    // another run that is due sends: it waits for the hold, which ends at the answer or after 15 s.
    whileInFlight = () -> assertInstanceOf(SendOutcome.Simulated.class,
        other.send(GovernedSendTest.execute(GovernedSendTest.email("other@example.com", "H1")), base.answering(true)));
    assertInstanceOf(SendOutcome.Simulated.class, first.send(GovernedSendTest.execute(GovernedSendTest.email("first@example.com", "H0")), base.answering(true)));
    assertEquals(2, dispatched.size());
    assertEquals(NOON_CHICAGO, dispatched.get(0));
    assertEquals(NOON_CHICAGO.plus(ProviderRates.COLD_HOLD), dispatched.get(1), "the other run left when the hold ran out, not at the next slot");
  }

  private void assertNoSecondHoldsMoreThanTwo() {
    for (Instant start : dispatched) {
      long inWindow = dispatched.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(1))).count();
      assertTrue(inWindow <= 2, "more than 2 sends in the second from " + start);
    }
  }

  @Test
  void aRateBookedTooFarAheadRefusesTheSendAndTakesNoCapUnit() {
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    // Other runs have booked Resend's budget ten seconds ahead.
    SendPacing.of(store).reserve("resend", 20, Duration.ofMillis(500), NOON_CHICAGO, Duration.ofMinutes(1));
    SendOutcome o = paced(clock).send(GovernedSendTest.execute(GovernedSendTest.email("pat@example.com", "R1")), base.answering(true));
    assertInstanceOf(SendOutcome.Failed.class, o);
    String error = o.detail().error();
    assertTrue(error.startsWith(GovernedSend.RATE_LIMITED + ":"), error);
    // It may try again when the slot is within two windows (of the spacing comms keeps): at 10 s - 2 × 2 × 511 ms.
    assertEquals(NOON_CHICAGO.plusMillis(10_000 - 2044), Instant.parse(error.substring(GovernedSend.RATE_LIMITED.length() + 1)));
    assertEquals(0, base.usedToday(), "no cap unit is used by a send that was not made");
    assertEquals(List.of(), dispatched);
  }

  @Test
  void underAFixedClockNothingIsPaced() {
    Clock fixed = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
    assertEquals(Pacer.NONE, Pacer.on(fixed));
    assertTrue(Pacer.on(Clock.systemUTC()).paces());
    GovernedSend path = base.path(null, fixed);
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(SendOutcome.Simulated.class, path.send(GovernedSendTest.execute(GovernedSendTest.email("pat" + i + "@example.com", "F" + i)), base.answering(true)));
    }
    assertEquals(Optional.empty(), SendPacing.of(store).nextAt("resend"));
  }

  @Test
  void aMessageOfSeveralUnitsHoldsTheBudgetForAsLong() {
    SendPacing pacing = SendPacing.of(store);
    Duration second = Duration.ofSeconds(1);
    assertEquals(Optional.of(NOON_CHICAGO), pacing.reserve("twilio:+13125550142", 3, second, NOON_CHICAGO, Duration.ofSeconds(2)));
    // A three-segment text holds the number for three seconds: the next is refused with two seconds' patience ...
    assertEquals(Optional.empty(), pacing.reserve("twilio:+13125550142", 1, second, NOON_CHICAGO, Duration.ofSeconds(2)));
    // ... and gets the fourth second with three; another number is free now.
    assertEquals(Optional.of(NOON_CHICAGO.plusSeconds(3)), pacing.reserve("twilio:+13125550142", 1, second, NOON_CHICAGO, Duration.ofSeconds(3)));
    assertEquals(Optional.of(NOON_CHICAGO), pacing.reserve("twilio:+13125550199", 1, second, NOON_CHICAGO, Duration.ZERO));
    // A budget unused for a while starts from now, not from the past.
    assertEquals(Optional.of(NOON_CHICAGO.plusSeconds(60)), pacing.reserve("twilio:+13125550142", 1, second, NOON_CHICAGO.plusSeconds(60), Duration.ZERO));
  }
}
