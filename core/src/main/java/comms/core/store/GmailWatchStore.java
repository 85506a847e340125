package comms.core.store;

import comms.core.Recipients;
import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Each Gmail owner's {@code users.watch}: the Pub/Sub topic it publishes to, the {@code historyId}
 * Gmail answered (where reading history starts before the first sync) and when the watch expires.
 * Gmail stops publishing at the expiration, so a watch is renewed before it (replies.watch, and
 * replies.sync and the worker when it is due).
 */
public final class GmailWatchStore {
  /** A watch is renewed once less than this is left of it (Google recommends calling watch once a day; it lasts about 7). */
  public static final java.time.Duration RENEW_BEFORE = java.time.Duration.ofDays(1);

  /** How long a simulated watch lasts: what Gmail gives a real one. */
  public static final java.time.Duration SIMULATED_LIFETIME = java.time.Duration.ofDays(7);

  private final Store store;

  private GmailWatchStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static GmailWatchStore of(Store store) {
    return new GmailWatchStore(store);
  }

  /** One owner's watch as Gmail last answered it. */
  public record GmailWatch(String owner, String topic, String historyId, Instant expiration, Instant watchedAt) {
    /** Whether the watch still publishes at {@code now}. */
    public boolean live(Instant now) {
      return expiration.isAfter(now);
    }

    /** Whether it is time to renew (less than {@link #RENEW_BEFORE} left, or expired). */
    public boolean due(Instant now) {
      return !expiration.minus(RENEW_BEFORE).isAfter(now);
    }
  }

  public Optional<GmailWatch> watch(String owner) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "read a Gmail watch",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, topic, history_id, expiration, watched_at FROM gmail_watch WHERE owner = ?")) {
              ps.setString(1, Recipients.normalize(owner));
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return Optional.empty();
                }
                return Optional.of(
                    new GmailWatch(rs.getString(1), rs.getString(2), rs.getString(3), SequenceStore.instant(rs.getString(4)), SequenceStore.instant(rs.getString(5))));
              }
            }
          });
    }
  }

  /**
   * In simulation there is no Gmail to call: a due watch is renewed locally (history id "0", the
   * lifetime Gmail gives), so the active-watch rule reads the same whichever mode a run is in.
   */
  public GmailWatch simulateIfDue(String owner, String topic, Instant now) {
    Optional<GmailWatch> w = watch(owner);
    if (w.isPresent() && !w.get().due(now)) {
      return w.get();
    }
    watched(owner, topic == null ? "simulation" : topic, "0", now.plus(SIMULATED_LIFETIME), now);
    return watch(owner).orElseThrow();
  }

  /** Records what {@code users.watch} answered for {@code owner} (a renewal replaces the row). */
  public void watched(String owner, String topic, String historyId, Instant expiration, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record a Gmail watch",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT OR REPLACE INTO gmail_watch (owner, topic, history_id, expiration, watched_at) VALUES (?, ?, ?, ?, ?)")) {
              ps.setString(1, Recipients.normalize(owner));
              ps.setString(2, topic);
              ps.setString(3, historyId);
              ps.setString(4, Timestamps.format(expiration));
              ps.setString(5, Timestamps.format(at));
              return ps.executeUpdate();
            }
          });
    }
  }
}
