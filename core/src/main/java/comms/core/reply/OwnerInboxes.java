package comms.core.reply;

import comms.core.Recipients;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The owners' inboxes when they are not all of one kind: each owner whose mailbox is elsewhere
 * (Gmail) is read through their own inbox, everyone else through the default one (Microsoft Graph).
 */
public final class OwnerInboxes implements Inbox {
  private final Inbox fallback;
  private final Function<String, Inbox> own;
  private final Map<String, Inbox> cache = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param own the owner's own inbox, or null to read them through {@code fallback} */
  public OwnerInboxes(Inbox fallback, Function<String, Inbox> own) {
    this.fallback = Objects.requireNonNull(fallback);
    this.own = Objects.requireNonNull(own);
  }

  private Inbox of(String owner) {
    String o = Recipients.normalize(owner);
    return cache.computeIfAbsent(o, x -> {
      Inbox i = own.apply(x);
      return i == null ? fallback : i;
    });
  }

  @Override
  public String source() {
    return fallback.source();
  }

  @Override
  public String source(String owner) {
    return of(owner).source();
  }

  @Override
  public void prepare(String owner) {
    of(owner).prepare(owner);
  }

  @Override
  public Batch read(String owner, String cursor, Instant resyncFrom) {
    return of(owner).read(owner, cursor, resyncFrom);
  }
}
