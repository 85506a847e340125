package comms.core.sequence;

import java.time.Duration;
import java.time.Instant;

/** A clock a test moves by hand, so weeks of a sequence pass in milliseconds. */
final class MovableClock extends WorkerClock {
  MovableClock(Instant start) {
    super(start);
  }

  void advance(Duration d) {
    set(instant().plus(d));
  }
}
