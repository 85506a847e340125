package comms.core.sequence;

import java.time.Duration;
import java.time.Instant;

/** A clock a test moves by hand, so weeks of a sequence pass in milliseconds. */
public final class MovableClock extends WorkerClock {
  public MovableClock(Instant start) {
    super(start);
  }

  public void advance(Duration d) {
    set(instant().plus(d));
  }
}
