package comms.core.store;

import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The iMessage daemon's queue (imessage_outbound) and its last polls (imessage_daemon_health). A row is
 * handed out at most once: a daemon that does not report before its lease ends leaves it unknown (it
 * may have gone), never handed out again, so no recipient gets a text twice.
 */
public final class ImessageQueue {
  public static final List<String> STATES = List.of("pending", "handed_out", "sent", "failed", "unknown");

  private final Store store;

  private ImessageQueue(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static ImessageQueue of(Store store) {
    return new ImessageQueue(store);
  }

  /** One queued text. */
  public record Queued(
      String id, String deliveryId, String idempotencyKey, String owner, String phone, String body, String messageType, String provider, String mode,
      String runKey, String sequenceId, Integer stage, String state, Instant createdAt, Instant handedOutAt, Instant leaseUntil, Instant reportedAt,
      String daemonId, String error) {}

  /** Adds a text the worker let through every gate; its id is {@code im_} and the delivery id's hex. */
  public Queued enqueue(
      String deliveryId, String key, String owner, String phone, String body, String messageType, String provider, String mode, String runKey,
      String sequenceId, Integer stage, Instant now) {
    String id = "im_" + deliveryId.replaceFirst("^dlv_", "");
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "queue an iMessage",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO imessage_outbound (id, delivery_id, idempotency_key, owner, phone_e164, body, message_type, provider, mode, run_key,"
                        + " sequence_id, stage, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)"
                        + " ON CONFLICT (delivery_id) DO NOTHING")) {
              ps.setString(1, id);
              ps.setString(2, deliveryId);
              ps.setString(3, key);
              ps.setString(4, owner);
              ps.setString(5, phone);
              ps.setString(6, body);
              ps.setString(7, messageType);
              ps.setString(8, provider);
              ps.setString(9, mode);
              ps.setString(10, runKey);
              ps.setString(11, sequenceId);
              if (stage == null) {
                ps.setNull(12, java.sql.Types.INTEGER);
              } else {
                ps.setInt(12, stage);
              }
              ps.setString(13, Timestamps.format(now));
              ps.executeUpdate();
            }
            return null;
          });
    }
    return find(id).orElseThrow();
  }

  /** How many of {@code owner}'s texts were queued in [from, to) and did not fail: what their daily cap counts. */
  public int counted(String owner, Instant from, Instant to) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return 0;
      }
      return store.run(
          "count iMessages",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM imessage_outbound WHERE owner = ? AND created_at >= ? AND created_at < ? AND state <> 'failed'")) {
              ps.setString(1, owner);
              ps.setString(2, Timestamps.format(from));
              ps.setString(3, Timestamps.format(to));
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
              }
            }
          });
    }
  }

  /**
   * Hands out what may go now, in one write transaction: first, leases that ran out become unknown;
   * then, for each operator with pending texts whose hours are open ({@code open}) and whose last
   * handed-out text is at least {@code gap} ago, their oldest pending text, leased to {@code daemonId}
   * until {@code now + lease}. So however often a daemon polls, one operator's texts go {@code gap} apart.
   */
  public List<Queued> handOut(String daemonId, Instant now, Duration gap, Duration lease, Predicate<String> open) {
    List<String> ids = new ArrayList<>();
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "hand out iMessages",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE imessage_outbound SET state = 'unknown', error = 'lease_expired_unreported' WHERE state = 'handed_out' AND lease_until <= ?")) {
              ps.setString(1, Timestamps.format(now));
              ps.executeUpdate();
            }
            Map<String, String> oldest = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, id FROM imessage_outbound WHERE state = 'pending' ORDER BY created_at, id");
                ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                oldest.putIfAbsent(rs.getString(1), rs.getString(2));
              }
            }
            for (Map.Entry<String, String> e : oldest.entrySet()) {
              Optional<Instant> last = lastHandedOut(c, e.getKey());
              if (last.isPresent() && last.get().plus(gap).isAfter(now)) {
                continue;
              }
              if (!open.test(e.getKey())) {
                continue;
              }
              try (PreparedStatement ps =
                  c.prepareStatement("UPDATE imessage_outbound SET state = 'handed_out', handed_out_at = ?, lease_until = ?, daemon_id = ? WHERE id = ? AND state = 'pending'")) {
                ps.setString(1, Timestamps.format(now));
                ps.setString(2, Timestamps.format(now.plus(lease)));
                ps.setString(3, daemonId);
                ps.setString(4, e.getValue());
                if (ps.executeUpdate() == 1) {
                  ids.add(e.getValue());
                }
              }
            }
            return null;
          });
    }
    return ids.stream().map(id -> find(id).orElseThrow()).toList();
  }

  private static Optional<Instant> lastHandedOut(Connection c, String owner) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(handed_out_at) FROM imessage_outbound WHERE owner = ? AND handed_out_at IS NOT NULL")) {
      ps.setString(1, owner);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null ? Optional.of(Timestamps.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** What a report did: the row after it, or why it was refused (not_found, not_handed_out). */
  public record Report(Queued row, String refusal) {}

  /** Records the daemon's report on a handed-out text: {@code sent} or {@code failed} (with its error). */
  public Report report(String id, String daemonId, String state, String error, Instant now) {
    if (!state.equals("sent") && !state.equals("failed")) {
      throw new IllegalArgumentException(state);
    }
    synchronized (store) {
      Connection c = store.open(true);
      String refusal =
          store.transaction(
              "record an iMessage report",
              c,
              () -> {
                Optional<Queued> row = find(c, id);
                if (row.isEmpty()) {
                  return "not_found";
                }
                if (!row.get().state().equals("handed_out")) {
                  return "not_handed_out:" + row.get().state();
                }
                try (PreparedStatement ps =
                    c.prepareStatement("UPDATE imessage_outbound SET state = ?, error = ?, reported_at = ?, daemon_id = ? WHERE id = ?")) {
                  ps.setString(1, state);
                  ps.setString(2, error);
                  ps.setString(3, Timestamps.format(now));
                  ps.setString(4, daemonId);
                  ps.setString(5, id);
                  ps.executeUpdate();
                }
                return null;
              });
      return new Report(find(id).orElse(null), refusal);
    }
  }

  /** Fails every pending text to {@code phone} (its consent was revoked); how many. */
  public int cancelPending(String phone, String error, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "cancel queued iMessages",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE imessage_outbound SET state = 'failed', error = ?, reported_at = ? WHERE phone_e164 = ? AND state = 'pending'")) {
              ps.setString(1, error);
              ps.setString(2, Timestamps.format(now));
              ps.setString(3, phone);
              return ps.executeUpdate();
            }
          });
    }
  }

  /** The operator whose text to {@code phone} was queued last. */
  public Optional<String> latestOwnerTo(String phone) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "read the iMessage queue",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM imessage_outbound WHERE phone_e164 = ? ORDER BY created_at DESC, id DESC LIMIT 1")) {
              ps.setString(1, phone);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
              }
            }
          });
    }
  }

  public Optional<Queued> find(String id) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run("read the iMessage queue", () -> find(c, id));
    }
  }

  /** The rows in {@code state}, oldest first. */
  public List<Queued> inState(String state) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read the iMessage queue",
          () -> {
            List<Queued> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM imessage_outbound WHERE state = ? ORDER BY created_at, id")) {
              ps.setString(1, state);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(row(rs));
                }
              }
            }
            return out;
          });
    }
  }

  private static Optional<Queued> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM imessage_outbound WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private static Queued row(ResultSet rs) throws SQLException {
    int stage = rs.getInt("stage");
    Integer st = rs.wasNull() ? null : stage;
    return new Queued(
        rs.getString("id"), rs.getString("delivery_id"), rs.getString("idempotency_key"), rs.getString("owner"), rs.getString("phone_e164"),
        rs.getString("body"), rs.getString("message_type"), rs.getString("provider"), rs.getString("mode"), rs.getString("run_key"),
        rs.getString("sequence_id"), st, rs.getString("state"), RecipientPhones.instant(rs.getString("created_at")),
        RecipientPhones.instant(rs.getString("handed_out_at")), RecipientPhones.instant(rs.getString("lease_until")),
        RecipientPhones.instant(rs.getString("reported_at")), rs.getString("daemon_id"), rs.getString("error"));
  }

  /** Records that {@code daemonId} polled at {@code now}. */
  public void seen(String daemonId, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record the daemon's poll",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO imessage_daemon_health (daemon_id, last_seen_at) VALUES (?, ?) ON CONFLICT (daemon_id) DO UPDATE SET last_seen_at = excluded.last_seen_at")) {
              ps.setString(1, daemonId);
              ps.setString(2, Timestamps.format(now));
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /** The latest poll of any daemon, and which daemon made it. */
  public record LastPoll(String daemonId, Instant at) {}

  public Optional<LastPoll> lastPoll() {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "read the daemon's health",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT daemon_id, last_seen_at FROM imessage_daemon_health ORDER BY last_seen_at DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(new LastPoll(rs.getString(1), Timestamps.parse(rs.getString(2)))) : Optional.<LastPoll>empty();
            }
          });
    }
  }
}
