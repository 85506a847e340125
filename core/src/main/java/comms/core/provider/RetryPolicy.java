package comms.core.provider;

import comms.core.contract.DeliveryContract;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The one retry policy for every live provider: at most {@code retry.max_attempts} attempts; a
 * provider's {@code Retry-After} (seconds or an HTTP date) is honoured, otherwise the wait grows
 * exponentially from {@code base_delay_ms} up to {@code max_delay_ms} with jitter. An attempt
 * signals "worth another try" by throwing {@link Retryable}; anything else ends the run at once.
 * When the attempts run out the delivery is a {@code dead_letter} carrying the last error.
 */
public final class RetryPolicy {
  /** Waits between attempts; tests pass one that records the wait instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
  }

  /** One attempt; its number (1-based) is given so failures can say how many were made. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int attempt);
  }

  /** Told before each wait, so the CLI can say on stderr what is happening. */
  public record Wait(String provider, int attempt, int maxAttempts, String reason, Duration delay) {
    /** {@code twilio: attempt 1 of 5 failed (429), next try in 2 seconds}. */
    public String describe() {
      return provider + ": attempt " + attempt + " of " + maxAttempts + " failed (" + reason + "), next try in "
          + seconds(delay) + (delay.toMillis() == 1000 ? " second" : " seconds");
    }
  }

  /**
   * A failure worth another try (429, 5xx, a timeout, a refused connection). {@code reason} is the
   * short form shown while waiting ({@code 429}, {@code read timeout}); the message is the full
   * error recorded if this was the last attempt; {@code retryAfter} is the raw header, or null.
   */
  public static final class Retryable extends RuntimeException {
    private final String reason;
    private final String errorCode;
    private final String retryAfter;

    public Retryable(String reason, String errorCode, String message, String retryAfter) {
      super(message, null, false, false);
      this.reason = reason;
      this.errorCode = errorCode;
      this.retryAfter = retryAfter;
    }

    public String reason() {
      return reason;
    }

    public String errorCode() {
      return errorCode;
    }

    public String retryAfter() {
      return retryAfter;
    }
  }

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Consumer<Wait> progress;

  public RetryPolicy(DeliveryContract.Retry retry, Clock clock, Sleeper sleeper, DoubleSupplier random, Consumer<Wait> progress) {
    this.maxAttempts = Math.max(1, retry.maxAttempts());
    this.baseDelay = Duration.ofMillis(Math.max(0, retry.baseDelayMs()));
    this.maxDelay = Duration.ofMillis(Math.max(retry.baseDelayMs(), retry.maxDelayMs()));
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.progress = progress == null ? w -> {} : progress;
  }

  /** Real waits and real jitter. */
  public static RetryPolicy of(DeliveryContract.Retry retry, Clock clock, Consumer<Wait> progress) {
    return new RetryPolicy(retry, clock, Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble(), progress);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Runs {@code attempt} until it returns, throws something other than {@link Retryable}, or the
   * attempts run out ({@link ProviderException} with status {@code dead_letter}).
   */
  public <T> T run(String provider, Attempt<T> attempt) {
    for (int n = 1; ; n++) {
      Retryable failure;
      try {
        return attempt.run(n);
      } catch (Retryable r) {
        failure = r;
      }
      if (n >= maxAttempts) {
        throw new ProviderException(
            ProviderException.DEAD_LETTER,
            failure.errorCode(),
            provider + " gave up after " + n + " attempt" + (n == 1 ? "" : "s") + "; last error: " + failure.getMessage()
                + ". The delivery is dead-lettered; send it again later.",
            n);
      }
      Duration delay = delay(n, failure.retryAfter());
      if (delay.compareTo(maxDelay) > 0) {
        // Retrying sooner than the provider asked only earns another refusal; waiting longer than
        // the contract allows would hold the run hostage, so stop here and say so.
        throw new ProviderException(
            ProviderException.DEAD_LETTER,
            failure.errorCode(),
            provider + " asked to wait " + seconds(delay) + " seconds before the next try (Retry-After), longer than"
                + " the delivery contract's retry.max_delay_ms of " + maxDelay.toMillis() + " allows; last error: "
                + failure.getMessage() + ". The delivery is dead-lettered; send it again later.",
            n);
      }
      progress.accept(new Wait(provider, n, maxAttempts, failure.reason(), delay));
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(
            ProviderException.DEAD_LETTER,
            failure.errorCode(),
            provider + " was interrupted while waiting to retry after: " + failure.getMessage(),
            n);
      }
    }
  }

  /** The wait after failed attempt {@code n}: Retry-After when given, else capped exponential backoff with jitter. */
  Duration delay(int n, String retryAfter) {
    Duration asked = retryAfter(retryAfter);
    if (asked != null) {
      return asked;
    }
    long base = baseDelay.toMillis();
    long cap = maxDelay.toMillis();
    long exp = n - 1 >= 31 ? cap : Math.min(cap, base * (1L << (n - 1)));
    // "Equal jitter": at least half the exponential step, so waits still grow, plus a random share
    // of the other half, so clients that failed together do not retry together.
    long half = exp / 2;
    double r = Math.min(Math.max(random.getAsDouble(), 0), 1);
    return Duration.ofMillis(half + Math.round(r * (exp - half)));
  }

  /** A Retry-After header as a wait: delay-seconds or an HTTP date (RFC 1123); null when absent or unreadable. */
  public Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    if (h.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(h));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return String.valueOf(ms / 1000);
    }
    return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }
}
