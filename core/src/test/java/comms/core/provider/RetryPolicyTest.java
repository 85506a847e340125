package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.DeliveryContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared retry policy on its own: attempt counting, Retry-After, backoff with jitter, dead letters. */
class RetryPolicyTest {
  final List<Duration> slept = new ArrayList<>();
  final List<RetryPolicy.Wait> waits = new ArrayList<>();

  RetryPolicy policy(int attempts, double random) {
    return new RetryPolicy(new DeliveryContract.Retry(attempts, 500, 30_000), LiveFixtures.CLOCK, slept::add, () -> random, waits::add);
  }

  static RetryPolicy.Retryable busy(String retryAfter) {
    return new RetryPolicy.Retryable("429", "rate_limit_exceeded", "resend answered HTTP 429", retryAfter);
  }

  @Test
  void givesUpAfterMaxAttemptsAsDeadLetterWithTheLastError() {
    AtomicInteger calls = new AtomicInteger();
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> policy(5, 0.5).run("resend", n -> {
              calls.incrementAndGet();
              throw new RetryPolicy.Retryable("503", "503", "resend answered HTTP 503 (attempt " + n + ")", null);
            }));
    assertEquals(5, calls.get());
    assertEquals(5, e.attempts());
    assertEquals("dead_letter", e.status());
    assertEquals(ExitCode.PROVIDER, e.exitCode());
    assertTrue(e.getMessage().contains("gave up after 5 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("(attempt 5)"), "the last error is kept: " + e.getMessage());
    assertEquals(4, waits.size());
    assertEquals("resend: attempt 1 of 5 failed (503), next try in 0.4 seconds", waits.get(0).describe());
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUpToTheMaximum() {
    RetryPolicy low = policy(5, 0.0);
    RetryPolicy high = policy(5, 1.0);
    // equal jitter: between half and all of base * 2^(n-1)
    assertEquals(Duration.ofMillis(250), low.delay(1, null));
    assertEquals(Duration.ofMillis(500), high.delay(1, null));
    assertEquals(Duration.ofMillis(1000), low.delay(3, null));
    assertEquals(Duration.ofMillis(2000), high.delay(3, null));
    assertEquals(Duration.ofMillis(15_000), low.delay(30, null));
    assertEquals(Duration.ofMillis(30_000), high.delay(40, null));
  }

  @Test
  void retryAfterSecondsIsHonouredExactly() {
    String out = policy(3, 0.5).run("twilio", n -> {
      if (n == 1) {
        throw busy("7");
      }
      return "ok after " + n;
    });
    assertEquals("ok after 2", out);
    assertEquals(List.of(Duration.ofSeconds(7)), slept);
    assertEquals("twilio: attempt 1 of 3 failed (429), next try in 7 seconds", waits.get(0).describe());
  }

  @Test
  void retryAfterHttpDateIsCountedFromTheClock() {
    // 90 seconds after LiveFixtures.NOW (2026-11-22T15:00:00Z)
    assertEquals(Duration.ofSeconds(90), policy(5, 0.5).retryAfter("Sun, 22 Nov 2026 15:01:30 GMT"));
    assertEquals(Duration.ZERO, policy(5, 0.5).retryAfter("Sun, 22 Nov 2026 14:00:00 GMT"));
    assertEquals(null, policy(5, 0.5).retryAfter("soon"));
  }

  @Test
  void retryAfterLongerThanTheContractAllowsDeadLettersAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    ProviderException e =
        assertThrows(ProviderException.class, () -> policy(5, 0.5).run("graph", n -> {
          calls.incrementAndGet();
          throw busy("3600");
        }));
    assertEquals(1, calls.get());
    assertEquals("dead_letter", e.status());
    assertTrue(e.getMessage().contains("asked to wait 3600 seconds"), e.getMessage());
    assertTrue(slept.isEmpty());
  }

  @Test
  void aFailureThatIsNotRetryablePassesThroughAfterOneAttempt() {
    ProviderException refused = new ProviderException("failed", "21211", "invalid recipient", 1);
    AtomicInteger calls = new AtomicInteger();
    ProviderException e =
        assertThrows(ProviderException.class, () -> policy(5, 0.5).run("twilio", n -> {
          calls.incrementAndGet();
          throw refused;
        }));
    assertSame(refused, e);
    assertEquals(1, calls.get());
    assertTrue(waits.isEmpty());
  }

  @Test
  void maxAttemptsComesFromTheContract() {
    AtomicInteger calls = new AtomicInteger();
    ProviderException e =
        assertThrows(ProviderException.class, () -> policy(2, 0.5).run("twilio", n -> {
          calls.incrementAndGet();
          throw busy(null);
        }));
    assertEquals(2, calls.get());
    assertEquals(2, e.attempts());
    assertEquals("twilio: attempt 1 of 2 failed (429), next try in 0.4 seconds", waits.get(0).describe());
  }
}
