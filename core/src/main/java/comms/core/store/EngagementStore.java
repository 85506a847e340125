package comms.core.store;

import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Engagement events from provider webhooks, keyed by the webhook's message id (svix_id: a replay is
 * stored once) and tied to the stage send whose provider_message_id they carry; and the webhooks that
 * were refused, counted. Also ends the enrollments of an address a bounce or complaint suppressed.
 */
public final class EngagementStore {
  private final Store store;

  private EngagementStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static EngagementStore of(Store store) {
    return new EngagementStore(store);
  }

  /** The stage send a provider message id belongs to, with its enrollment's address and when it went. */
  public record StageSendRef(String enrollmentId, String sequenceId, int stage, String email, String enrollmentState, Instant sentAt) {}

  /** One event as stored. */
  public record EventRow(
      String svixId, String type, String providerMessageId, String enrollmentId, String sequenceId, Integer stage, Instant occurredAt,
      Instant receivedAt, boolean counts, String ignoredBy, String bounceType, String effect) {}

  /** The stage send whose idempotency row holds {@code providerMessageId} (Resend's email id), if any. */
  public Optional<StageSendRef> stageSendOf(String providerMessageId) {
    if (providerMessageId == null) {
      return Optional.empty();
    }
    return read(
        "find the stage send of a provider message id",
        Optional.empty(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT s.enrollment_id, s.sequence_id, s.stage, e.email, e.state, s.finished_at FROM idempotency i"
                      + " JOIN stage_sends s ON s.idempotency_key = i.key JOIN enrollments e ON e.id = s.enrollment_id"
                      + " WHERE i.provider_message_id = ? LIMIT 1")) {
            ps.setString(1, providerMessageId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new StageSendRef(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), SequenceStore.instant(rs.getString(6))));
            }
          }
        });
  }

  /** When the provider first reported {@code providerMessageId} delivered, if it has. */
  public Optional<Instant> deliveredAt(String providerMessageId) {
    return read(
        "read a delivery time",
        Optional.empty(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT MIN(occurred_at) FROM engagement_events WHERE provider_message_id = ? AND type = 'email.delivered'")) {
            ps.setString(1, providerMessageId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.ofNullable(SequenceStore.instant(rs.getString(1))) : Optional.<Instant>empty();
            }
          }
        });
  }

  /** Whether a webhook message with this id was already applied. */
  public boolean seen(String svixId) {
    return read(
        "look up a webhook id",
        false,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM engagement_events WHERE svix_id = ?")) {
            ps.setString(1, svixId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** Stores the event; false (and nothing changed) when its svix_id is already stored: a replay. */
  public boolean record(EventRow e) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "record an engagement event",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO engagement_events (svix_id, type, provider_message_id, enrollment_id, sequence_id, stage, occurred_at, received_at,"
                        + " counts, ignored_by, bounce_type, effect) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (svix_id) DO NOTHING")) {
              ps.setString(1, e.svixId());
              ps.setString(2, e.type());
              ps.setString(3, e.providerMessageId());
              ps.setString(4, e.enrollmentId());
              ps.setString(5, e.sequenceId());
              if (e.stage() == null) {
                ps.setNull(6, java.sql.Types.INTEGER);
              } else {
                ps.setInt(6, e.stage());
              }
              ps.setString(7, Timestamps.format(e.occurredAt()));
              ps.setString(8, Timestamps.format(e.receivedAt()));
              ps.setInt(9, e.counts() ? 1 : 0);
              ps.setString(10, e.ignoredBy());
              ps.setString(11, e.bounceType());
              ps.setString(12, e.effect());
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /** Counts a webhook that was not applied, with its reason code (the id is kept only as given, cut to 100 characters). */
  public void refused(String svixId, String reason, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "count a refused webhook",
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_refusals (svix_id, reason, received_at) VALUES (?, ?, ?)")) {
              ps.setString(1, svixId == null ? null : svixId.length() > 100 ? svixId.substring(0, 100) : svixId);
              ps.setString(2, reason);
              ps.setString(3, Timestamps.format(at));
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /**
   * Ends every active or paused enrollment of {@code email} (any operator, any sequence) as
   * {@code state} (bounced, opted_out) with {@code reason}; how many ended.
   */
  public int endEnrollmentsOf(String email, String state, String reason, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "end the enrollments of a suppressed address",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE enrollments SET state = ?, next_due_at = NULL, paused_until = NULL, reason = ?, updated_at = ?"
                        + " WHERE (email = ? OR recipient = ?) AND state IN ('active', 'paused')")) {
              ps.setString(1, state);
              ps.setString(2, reason);
              ps.setString(3, Timestamps.format(at));
              ps.setString(4, email);
              ps.setString(5, email);
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Whether anything that counts as engagement (a click, a human-shaped open) was recorded for the enrollment. */
  public boolean engaged(String enrollmentId) {
    return read(
        "read an enrollment's engagement",
        false,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM engagement_events WHERE enrollment_id = ? AND counts = 1 LIMIT 1")) {
            ps.setString(1, enrollmentId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** What was recorded, by what it is. */
  public record Counts(
      long delivered, long humanOpens, Map<String, Long> machineOpensByRule, long clicks, long hardBounces, long softBounces, long complaints,
      long other, long unmatched, long refused, Map<String, Long> refusedByReason) {
    public long machineOpens() {
      return machineOpensByRule.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The counts for one sequence (every event when null); refused webhooks are never tied to a sequence and always count in full. */
  public Counts counts(String sequenceId) {
    Counts none = new Counts(0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, Map.of());
    return read(
        "count engagement events",
        none,
        c -> {
          long[] n = new long[8];
          Map<String, Long> machine = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT type, counts, ignored_by, bounce_type, CASE WHEN enrollment_id IS NULL THEN 1 ELSE 0 END, COUNT(*) FROM engagement_events"
                      + (sequenceId == null ? "" : " WHERE sequence_id = ?") + " GROUP BY 1, 2, 3, 4, 5")) {
            if (sequenceId != null) {
              ps.setString(1, sequenceId);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String type = rs.getString(1);
                boolean counts = rs.getInt(2) == 1;
                long k = rs.getLong(6);
                if (rs.getInt(5) == 1) {
                  n[7] += k;
                }
                switch (type) {
                  case "email.delivered" -> n[0] += k;
                  case "email.opened" -> {
                    if (counts) {
                      n[1] += k;
                    } else {
                      machine.merge(rs.getString(3) == null ? "unknown" : rs.getString(3), k, Long::sum);
                    }
                  }
                  case "email.clicked" -> n[2] += k;
                  case "email.bounced" -> {
                    if ("Permanent".equalsIgnoreCase(rs.getString(4))) {
                      n[3] += k;
                    } else {
                      n[4] += k;
                    }
                  }
                  case "email.complained" -> n[5] += k;
                  default -> n[6] += k;
                }
              }
            }
          }
          Map<String, Long> refused = new LinkedHashMap<>();
          long total = 0;
          try (PreparedStatement ps = c.prepareStatement("SELECT reason, COUNT(*) FROM webhook_refusals GROUP BY reason ORDER BY reason")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                refused.put(rs.getString(1), rs.getLong(2));
                total += rs.getLong(2);
              }
            }
          }
          return new Counts(n[0], n[1], machine, n[2], n[3], n[4], n[5], n[6], n[7], total, refused);
        });
  }

  @FunctionalInterface
  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String what, T none, Query<T> q) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return none;
      }
      return store.run(what, () -> q.run(c));
    }
  }
}
