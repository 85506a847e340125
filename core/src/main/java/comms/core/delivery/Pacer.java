package comms.core.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How a send waits for its slot of a provider's rate ({@link comms.core.store.SendPacing}). Rates are
 * kept on the real clock only: under COMMS_NOW, or on a worker's replayed clock, time does not move
 * while a process waits, so such runs are not paced (a replayed week would otherwise take a week).
 */
public interface Pacer {
  /** Not paced: the clock does not move with real time. */
  Pacer NONE =
      new Pacer() {
        @Override
        public boolean paces() {
          return false;
        }

        @Override
        public void waitUntil(Instant slot) {}
      };

  /** Whether sends are paced at all. */
  boolean paces();

  /** Returns once the clock has reached {@code slot} (at once when it has already). */
  void waitUntil(Instant slot);

  /** Paces on {@code clock} when it is the system clock, else {@link #NONE}. */
  static Pacer on(Clock clock) {
    if (!clock.getClass().equals(Clock.systemUTC().getClass())) {
      return NONE;
    }
    return new Pacer() {
      @Override
      public boolean paces() {
        return true;
      }

      @Override
      public void waitUntil(Instant slot) {
        for (Duration left = Duration.between(clock.instant(), slot); !left.isNegative() && !left.isZero(); left = Duration.between(clock.instant(), slot)) {
          try {
            Thread.sleep(Math.max(1, left.toMillis()));
          } catch (InterruptedException e) {
            // Stopping (SIGTERM): send now rather than lose the slot's send; the budget was reserved.
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    };
  }
}
