package comms.core.sequence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, so weeks of a sequence pass in milliseconds. */
final class MovableClock extends Clock {
  private Instant now;

  MovableClock(Instant start) {
    this.now = start;
  }

  void set(Instant at) {
    now = at;
  }

  void advance(Duration d) {
    now = now.plus(d);
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
