package comms.core.store;

import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The idempotency table: one row per key, claimed in flight before a dispatch and done with its
 * result after, so the same key sends once across runs and processes.
 */
public final class IdempotencyStore {
  private final Store store;

  private IdempotencyStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static IdempotencyStore of(Store store) {
    return new IdempotencyStore(store);
  }

  /**
   * The idempotency row of a key: in_flight from claim until complete, then done with the result.
   * {@code contentSha256} is the hash of what the key sends (null on rows claimed before keys were
   * bound to their content).
   */
  public record IdempotencyEntry(
      String key,
      String deliveryId,
      String state,
      String status,
      String providerMessageId,
      String resultJson,
      Instant createdAt,
      Instant updatedAt,
      String contentSha256,
      String dispatchedJson) {
    public boolean done() {
      return "done".equals(state);
    }

    /** Done, and completed before {@code before}: the key is free for a new message. */
    public boolean expired(Instant before) {
      return done() && before != null && updatedAt.isBefore(before);
    }

    /** Whether {@code sha256} is what this key sent (unknown on rows from before: taken as the same). */
    public boolean sameContent(String sha256) {
      return contentSha256 == null || sha256 == null || contentSha256.equals(sha256);
    }

    /** What the provider answered to the dispatch of this claim, once {@link #dispatched} recorded it; empty before (or on a done key). */
    public Optional<Dispatched> dispatched() {
      if (done() || dispatchedJson == null) {
        return Optional.empty();
      }
      Dispatched d = Dispatched.parse(dispatchedJson);
      return deliveryId.equals(d.deliveryId()) ? Optional.of(d) : Optional.empty();
    }
  }

  /**
   * The provider's answer to one dispatch, recorded in the store right after it and before the
   * delivery-log line: the store then knows the message went even when the host that sent it died
   * before logging or marking it done, so another host (whose log has no line of it) never sends it again.
   */
  public record Dispatched(String deliveryId, String status, String providerMessageId, int attempts, String messageId) {
    public Dispatched {
      Objects.requireNonNull(deliveryId);
      Objects.requireNonNull(status);
    }

    String json() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("delivery_id", deliveryId);
      m.put("status", status);
      m.put("provider_message_id", providerMessageId);
      m.put("attempts", attempts);
      m.put("message_id", messageId);
      return comms.core.json.Json.write(m);
    }

    static Dispatched parse(String json) {
      java.util.Map<String, Object> m = comms.core.json.Json.parseObject(json);
      Object attempts = m.get("attempts");
      return new Dispatched(
          (String) m.get("delivery_id"), (String) m.get("status"), (String) m.get("provider_message_id"),
          attempts instanceof Number n ? n.intValue() : 0, (String) m.get("message_id"));
    }
  }

  /** What {@link #claim} found: the key is now ours, it was already done, or a run is (or died) mid-dispatch. */
  public sealed interface Claim {
    /** The key is claimed for this delivery: dispatch, then {@link #complete} or {@link #release}. */
    record Claimed(String key, String deliveryId) implements Claim {}

    /** Already sent: report this earlier result and send nothing. */
    record Done(IdempotencyEntry entry) implements Claim {}

    /** Another run claimed it and has not finished: it is dispatching now or died mid-dispatch; reconcile, do not send. */
    record InFlight(IdempotencyEntry entry) implements Claim {}
  }

  /** Atomically claims the key (an in_flight row) or returns what already holds it; keys never expire. */
  public Claim claim(String key, String deliveryId, Instant at) {
    synchronized (store) {
      return claim(key, deliveryId, null, at, null);
    }
  }

  /**
   * Atomically claims the key for a message whose content hashes to {@code contentSha256}, or returns
   * what already holds it. A done key completed before {@code expiredBefore} (null: never) has had
   * its window: it is claimed afresh for the new message, as if it had never been used.
   */
  public Claim claim(String key, String deliveryId, String contentSha256, Instant at, Instant expiredBefore) {
    synchronized (store) {
      Store.require(key, "idempotency key");
      Store.require(deliveryId, "delivery id");
      Connection c = store.open(true);
      return store.transaction(
          "claim idempotency key",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO idempotency (key, delivery_id, state, content_sha256, created_at, updated_at) VALUES (?, ?, 'in_flight', ?, ?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET delivery_id = excluded.delivery_id, state = 'in_flight', status = NULL,"
                        + " provider_message_id = NULL, result_json = NULL, dispatched_json = NULL, content_sha256 = excluded.content_sha256,"
                        + " created_at = excluded.created_at, updated_at = excluded.updated_at"
                        + " WHERE idempotency.state = 'done' AND idempotency.updated_at < ?")) {
              String t = Timestamps.format(at);
              ps.setString(1, key);
              ps.setString(2, deliveryId);
              ps.setString(3, contentSha256);
              ps.setString(4, t);
              ps.setString(5, t);
              // Timestamps are fixed-width text, so they compare in time order; nothing is before "".
              ps.setString(6, expiredBefore == null ? "" : Timestamps.format(expiredBefore));
              if (ps.executeUpdate() == 1) {
                return new Claim.Claimed(key, deliveryId);
              }
            }
            IdempotencyEntry e = entry(c, key).orElseThrow(() -> new SQLException("idempotency row vanished inside a transaction"));
            return e.done() ? new Claim.Done(e) : new Claim.InFlight(e);
          });
    }
  }

  /**
   * Records the outcome of a claimed dispatch; the key is then done for good. Returns false (and
   * changes nothing) when the key was already done, so an earlier result is never overwritten.
   */
  public boolean complete(String key, String status, String providerMessageId, String resultJson, Instant at) {
    synchronized (store) {
      Store.require(key, "idempotency key");
      Store.require(status, "status");
      Connection c = store.open(true);
      return store.run(
          "complete idempotency key",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO idempotency (key, delivery_id, state, status, provider_message_id, result_json, created_at, updated_at)"
                        + " VALUES (?, '', 'done', ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET state = 'done', status = excluded.status,"
                        + " provider_message_id = excluded.provider_message_id, result_json = excluded.result_json,"
                        + " updated_at = excluded.updated_at WHERE idempotency.state = 'in_flight'")) {
              String t = Timestamps.format(at);
              ps.setString(1, key);
              ps.setString(2, status);
              ps.setString(3, providerMessageId);
              ps.setString(4, resultJson);
              ps.setString(5, t);
              ps.setString(6, t);
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /**
   * Records what the provider answered to the dispatch of the key's in-flight claim by {@code d}'s
   * delivery, before its delivery-log line is written. False (nothing changed) when the key is not in
   * flight for that delivery.
   */
  public boolean dispatched(String key, Dispatched d) {
    synchronized (store) {
      Store.require(key, "idempotency key");
      Connection c = store.open(true);
      return store.run(
          "record the provider's answer for idempotency key",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE idempotency SET dispatched_json = ? WHERE key = ? AND state = 'in_flight' AND delivery_id = ?")) {
              ps.setString(1, d.json());
              ps.setString(2, key);
              ps.setString(3, d.deliveryId());
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /**
   * Gives up a claim when the dispatch certainly did not happen (declined, blocked, failed before
   * any provider call), so a later run may send. False when there was no in_flight claim.
   */
  public boolean release(String key) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return false;
      }
      return store.run(
          "release idempotency key",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency WHERE key = ? AND state = 'in_flight'")) {
              ps.setString(1, key);
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  public Optional<IdempotencyEntry> idempotency(String key) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run("read idempotency key", () -> entry(c, key));
    }
  }

  /**
   * The delivery ids of the newest {@code limit} completed sends (by completion time, newest first):
   * each must have its line in the delivery log, which is written before a send is completed here.
   */
  public List<String> newestDoneDeliveryIds(int limit) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list completed idempotency keys",
          () -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement("SELECT delivery_id FROM idempotency WHERE state = 'done' AND delivery_id <> '' ORDER BY updated_at DESC, key LIMIT ?")) {
              ps.setInt(1, limit);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(rs.getString(1));
                }
              }
            }
            return out;
          });
    }
  }

  /** Claims no run completed or released: what a reconcile pass after a crash looks at. */
  public List<IdempotencyEntry> inFlight() {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list in-flight idempotency keys",
          () -> {
            List<IdempotencyEntry> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(SELECT_ENTRY + " WHERE state = 'in_flight' ORDER BY created_at, key")) {
              while (rs.next()) {
                out.add(entry(rs));
              }
            }
            return out;
          });
    }
  }

  private static final String SELECT_ENTRY =
      "SELECT key, delivery_id, state, status, provider_message_id, result_json, created_at, updated_at, content_sha256, dispatched_json FROM idempotency";

  private static Optional<IdempotencyEntry> entry(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_ENTRY + " WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static IdempotencyEntry entry(ResultSet rs) throws SQLException {
    return new IdempotencyEntry(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        Instant.parse(rs.getString(7)), Instant.parse(rs.getString(8)), rs.getString(9), rs.getString(10));
  }
}
