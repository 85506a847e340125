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
                  clock.now = slot;
                }
              }
            });
  }

  @Test
  void sendsThroughResendAreSpacedHalfASecondApartAndNoSecondHoldsMoreThanTwo() {
    SteppedClock clock = new SteppedClock(NOON_CHICAGO);
    GovernedSend path = paced(clock);
    for (int i = 0; i < 7; i++) {
      assertInstanceOf(SendOutcome.Simulated.class, path.send(GovernedSendTest.execute(GovernedSendTest.email("pat" + i + "@example.com", "R" + i)), base.answering(true)));
    }
    assertEquals(7, dispatched.size());
    for (int i = 0; i < dispatched.size(); i++) {
      assertEquals(NOON_CHICAGO.plusMillis(500L * i), dispatched.get(i), "send " + i);
    }
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
    // It may try again when the slot is within two windows: at 10 s - 2 s.
    assertEquals(NOON_CHICAGO.plusSeconds(8), Instant.parse(error.substring(GovernedSend.RATE_LIMITED.length() + 1)));
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
