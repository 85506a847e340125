package comms.core.reply;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/** An inbox whose owner's watch is renewed when due before an applied sync reads it (a Gmail owner's, in simulation). */
public final class RenewingInbox implements Inbox {
  private final Inbox inner;
  private final Consumer<String> renewIfDue;

  public RenewingInbox(Inbox inner, Consumer<String> renewIfDue) {
    this.inner = Objects.requireNonNull(inner);
    this.renewIfDue = Objects.requireNonNull(renewIfDue);
  }

  @Override
  public String source() {
    return inner.source();
  }

  @Override
  public void prepare(String owner) {
    renewIfDue.accept(owner);
    inner.prepare(owner);
  }

  @Override
  public Batch read(String owner, String cursor, Instant resyncFrom) {
    return inner.read(owner, cursor, resyncFrom);
  }
}
