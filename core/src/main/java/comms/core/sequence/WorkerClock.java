package comms.core.sequence;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The worker's clock when time is replayed: set by the run, jumping from one due send to the next. */
public class WorkerClock extends Clock {
  private volatile Instant now;

  public WorkerClock(Instant start) {
    now = start;
  }

  public void set(Instant at) {
    now = at;
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
