package comms.core.store;

import comms.core.Recipients;
import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Each owner's reply watch (where their last inbox sync stopped, when it last succeeded, its last
 * error, the alert incident it is in) and the inbound mail the syncs read, once per mailbox message.
 */
public final class ReplyStore {
  private final Store store;

  private ReplyStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static ReplyStore of(Store store) {
    return new ReplyStore(store);
  }

  /**
   * One owner's watch. {@code cursor} is the mailbox's own position (a simulated inbox's line count,
   * Graph's @odata.deltaLink); {@code resyncFrom} the time a full sync restarts from when the cursor
   * expired; {@code incidentSince} when the current unhealthy spell began, {@code alertedAt} when it was reported.
   */
  public record Watch(
      String owner, String source, String cursor, Instant resyncFrom, Instant lastAttemptAt, Instant lastSuccessAt, String lastError, Instant incidentSince,
      Instant alertedAt) {}

  /** One inbound message as a sync took it. */
  public record Inbound(
      long id, String owner, String sourceId, String sender, String kind, String detail, String matchedMessageId, String matchReason, String action,
      Instant receivedAt, Instant processedAt) {}

  public Optional<Watch> watch(String owner) {
    List<Watch> w = watches(Recipients.normalize(owner));
    return w.isEmpty() ? Optional.empty() : Optional.of(w.get(0));
  }

  /** Every owner's watch (or one owner's), by owner. */
  public List<Watch> watches() {
    return watches(null);
  }

  private List<Watch> watches(String owner) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read reply watches",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT owner, source, cursor, resync_from, last_attempt_at, last_success_at, last_error, incident_since, alerted_at FROM reply_watch"
                        + (owner == null ? "" : " WHERE owner = ?") + " ORDER BY owner")) {
              if (owner != null) {
                ps.setString(1, owner);
              }
              List<Watch> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new Watch(rs.getString(1), rs.getString(2), rs.getString(3), SequenceStore.instant(rs.getString(4)), SequenceStore.instant(rs.getString(5)),
                          SequenceStore.instant(rs.getString(6)), rs.getString(7), SequenceStore.instant(rs.getString(8)), SequenceStore.instant(rs.getString(9))));
                }
              }
              return out;
            }
          });
    }
  }

  /** A sync of {@code owner}'s inbox finished: the new cursor and the time a resync would start from. */
  public void succeeded(String owner, String source, String cursor, Instant resyncFrom, Instant at) {
    upsert(
        owner, source, at,
        "UPDATE reply_watch SET source = ?, cursor = ?, resync_from = ?, last_attempt_at = ?, last_success_at = ?, last_error = NULL WHERE owner = ?",
        ps -> {
          ps.setString(1, source);
          ps.setString(2, cursor);
          ps.setString(3, SequenceStore.text(resyncFrom));
          ps.setString(4, Timestamps.format(at));
          ps.setString(5, Timestamps.format(at));
          ps.setString(6, Recipients.normalize(owner));
        });
  }

  /** A sync of {@code owner}'s inbox failed with {@code error} (no secret in it); the cursor stays. */
  public void failed(String owner, String source, String error, Instant at) {
    upsert(
        owner, source, at, "UPDATE reply_watch SET source = ?, last_attempt_at = ?, last_error = ? WHERE owner = ?",
        ps -> {
          ps.setString(1, source);
          ps.setString(2, Timestamps.format(at));
          ps.setString(3, error);
          ps.setString(4, Recipients.normalize(owner));
        });
  }

  /** Records the unhealthy spell {@code owner}'s watch is in (both null: it is over). */
  public void incident(String owner, Instant since, Instant alertedAt) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record a watch incident",
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE reply_watch SET incident_since = ?, alerted_at = ? WHERE owner = ?")) {
              ps.setString(1, SequenceStore.text(since));
              ps.setString(2, SequenceStore.text(alertedAt));
              ps.setString(3, Recipients.normalize(owner));
              return ps.executeUpdate();
            }
          });
    }
  }

  @FunctionalInterface
  private interface Bind {
    void set(PreparedStatement ps) throws SQLException;
  }

  private void upsert(String owner, String source, Instant at, String update, Bind bind) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record a reply sync",
          c,
          () -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO reply_watch (owner, source) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
              ins.setString(1, Recipients.normalize(owner));
              ins.setString(2, source);
              ins.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(update)) {
              bind.set(ps);
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Whether a sync of {@code owner} already took the mailbox message {@code sourceId}. */
  public boolean seen(String owner, String sourceId) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return false;
      }
      return store.run(
          "look up an inbound message",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbound_mail WHERE owner = ? AND source_id = ?")) {
              ps.setString(1, Recipients.normalize(owner));
              ps.setString(2, sourceId);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
              }
            }
          });
    }
  }

  /** Records what a sync took a message for and did; false when it was already recorded. */
  public boolean record(Inbound m) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "record an inbound message",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO inbound_mail (owner, source_id, sender, class, detail, matched_message_id, match_reason, action, received_at, processed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
              ps.setString(1, Recipients.normalize(m.owner()));
              ps.setString(2, m.sourceId());
              ps.setString(3, m.sender());
              ps.setString(4, m.kind());
              ps.setString(5, m.detail());
              ps.setString(6, m.matchedMessageId());
              ps.setString(7, m.matchReason());
              ps.setString(8, m.action());
              ps.setString(9, Timestamps.format(m.receivedAt()));
              ps.setString(10, Timestamps.format(m.processedAt()));
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /** The newest inbound messages a sync took for {@code owner} (null: every owner). */
  public List<Inbound> inbound(String owner, int limit) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read inbound messages",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id, owner, source_id, sender, class, detail, matched_message_id, match_reason, action, received_at, processed_at FROM inbound_mail"
                        + (owner == null ? "" : " WHERE owner = ?") + " ORDER BY id DESC LIMIT " + limit)) {
              if (owner != null) {
                ps.setString(1, Recipients.normalize(owner));
              }
              List<Inbound> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new Inbound(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                          rs.getString(8), rs.getString(9), Timestamps.parse(rs.getString(10)), Timestamps.parse(rs.getString(11))));
                }
              }
              return out;
            }
          });
    }
  }
}
