package comms.core.store;

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
 * The recipients enrolled in sequences and the stage sends made to them. One active (or paused)
 * enrollment per operator and recipient, held by a unique index; one row per (enrollment, stage)
 * ever attempted, held by a primary key, which is what makes each stage go to each recipient once
 * however many workers run.
 */
public final class EnrollmentStore {
  /** The states of an enrollment, in the order views list them. */
  public static final List<String> STATES = List.of("active", "paused", "replied", "bounced", "opted_out", "completed", "stopped");

  private final Store store;

  private EnrollmentStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static EnrollmentStore of(Store store) {
    return new EnrollmentStore(store);
  }

  /** One enrollment. {@code nextStage} is 1-based; past the last stage once completed. */
  public record EnrollmentRow(
      String id,
      String sequenceId,
      String owner,
      String recipient,
      String email,
      String phone,
      String cc,
      String varsJson,
      String state,
      int nextStage,
      Instant nextDueAt,
      Instant pausedUntil,
      String reason) {}

  /** A recipient to enroll: canonical identity plus what the stages need. */
  public record NewEnrollment(String id, String recipient, String email, String phone, String cc, String varsJson) {}

  /** The sequence holding an active or paused enrollment of {@code recipient} for {@code owner}, if any. */
  public Optional<String> activeSequenceOf(String owner, String recipient) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "look up active enrollments",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT sequence_id FROM enrollments WHERE owner = ? AND recipient = ? AND state IN ('active', 'paused')")) {
              ps.setString(1, owner);
              ps.setString(2, recipient);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
              }
            }
          });
    }
  }

  /**
   * Inserts every enrollment in one transaction with {@code alongside} (the audit row), due at
   * {@code dueAt} (null for a draft: due once launched). All or nothing.
   */
  public void enroll(String sequenceId, String owner, List<NewEnrollment> rows, Instant dueAt, Instant at, Runnable alongside) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "enroll " + rows.size() + " recipients in " + sequenceId,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO enrollments (id, sequence_id, owner, recipient, email, phone, cc, vars_json, state, next_stage, next_due_at,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 1, ?, ?, ?)")) {
              for (NewEnrollment e : rows) {
                ps.setString(1, e.id());
                ps.setString(2, sequenceId);
                ps.setString(3, owner);
                ps.setString(4, e.recipient());
                ps.setString(5, e.email());
                ps.setString(6, e.phone());
                ps.setString(7, e.cc());
                ps.setString(8, e.varsJson());
                ps.setString(9, SequenceStore.text(dueAt));
                ps.setString(10, Timestamps.format(at));
                ps.setString(11, Timestamps.format(at));
                ps.addBatch();
              }
              ps.executeBatch();
            }
            alongside.run();
            return null;
          });
    }
  }

  /** Every enrollment of the sequence, in the order they were added. */
  public List<EnrollmentRow> inSequence(String sequenceId) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list enrollments",
          () -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE sequence_id = ? ORDER BY created_at, rowid")) {
              ps.setString(1, sequenceId);
              return rows(ps);
            }
          });
    }
  }

  /** The enrollment's state now (the worker checks it after its claim: a reply may have ended it meanwhile). */
  public Optional<String> state(String enrollmentId) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "read an enrollment's state",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM enrollments WHERE id = ?")) {
              ps.setString(1, enrollmentId);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
              }
            }
          });
    }
  }

  /** Recipient identities of the sequence's live enrollments (active or paused), for approval hashes. */
  public List<String> liveRecipients(String sequenceId) {
    return inSequence(sequenceId).stream().filter(e -> e.state().equals("active") || e.state().equals("paused")).map(EnrollmentRow::recipient).toList();
  }

  /** Sets the first due time of every live enrollment of the sequence that has none (at launch). Joins the caller's transaction. */
  public void scheduleFirst(String sequenceId, Instant dueAt, Instant at) {
    Connection c = store.open(true);
    store.transaction(
        "schedule " + sequenceId,
        c,
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE enrollments SET next_due_at = ?, updated_at = ? WHERE sequence_id = ? AND state = 'active' AND next_due_at IS NULL")) {
            ps.setString(1, Timestamps.format(dueAt));
            ps.setString(2, Timestamps.format(at));
            ps.setString(3, sequenceId);
            return ps.executeUpdate();
          }
        });
  }

  /** Ends every live enrollment of the sequence as {@code state} (stop). Joins the caller's transaction. */
  public int endAll(String sequenceId, String state, String reason, Instant at) {
    Connection c = store.open(true);
    return store.transaction(
        "end the enrollments of " + sequenceId,
        c,
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE enrollments SET state = ?, reason = ?, next_due_at = NULL, updated_at = ? WHERE sequence_id = ? AND state IN ('active', 'paused')")) {
            ps.setString(1, state);
            ps.setString(2, reason);
            ps.setString(3, Timestamps.format(at));
            ps.setString(4, sequenceId);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Ends every live enrollment of {@code recipient} for {@code owner}, in every sequence (a reply, a
   * bounce, an opt-out); the number ended.
   */
  public int endFor(String owner, String recipient, String state, String reason, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "end the enrollments of a recipient",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE enrollments SET state = ?, reason = ?, next_due_at = NULL, updated_at = ? WHERE owner = ? AND recipient = ?"
                        + " AND state IN ('active', 'paused')")) {
              ps.setString(1, state);
              ps.setString(2, reason);
              ps.setString(3, Timestamps.format(at));
              ps.setString(4, owner);
              ps.setString(5, recipient);
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Active enrollments of active sequences due at or before {@code now}, earliest first. */
  public List<EnrollmentRow> due(Instant now, int limit) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "find due stage sends",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    SELECT_E + " JOIN sequences s ON s.id = e.sequence_id WHERE e.state = 'active' AND e.next_due_at <= ?"
                        + " AND s.state = 'active' ORDER BY e.next_due_at, e.id LIMIT ?")) {
              ps.setString(1, Timestamps.format(now));
              ps.setInt(2, limit);
              return rows(ps);
            }
          });
    }
  }

  /** The earliest instant anything becomes due (an active enrollment of an active sequence, or a pause running out), if any. */
  public Optional<Instant> nextDue() {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "find the next due stage send",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT MIN(t) FROM (SELECT MIN(e.next_due_at) AS t FROM enrollments e JOIN sequences s ON s.id = e.sequence_id"
                        + " WHERE e.state = 'active' AND s.state = 'active' UNION ALL"
                        + " SELECT MIN(paused_until) AS t FROM enrollments WHERE state = 'paused') AS due");
                ResultSet rs = ps.executeQuery()) {
              return rs.next() && rs.getString(1) != null ? Optional.of(Timestamps.parse(rs.getString(1))) : Optional.<Instant>empty();
            }
          });
    }
  }

  /** Resumes paused enrollments whose pause has run out at {@code now}; how many. */
  public int resumeDue(Instant now) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return 0;
      }
      return store.transaction(
          "resume paused enrollments",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE enrollments SET state = 'active', next_due_at = CASE WHEN next_due_at IS NULL OR next_due_at < paused_until"
                        + " THEN paused_until ELSE next_due_at END, paused_until = NULL, reason = NULL, updated_at = ?"
                        + " WHERE state = 'paused' AND paused_until <= ?")) {
              ps.setString(1, Timestamps.format(now));
              ps.setString(2, Timestamps.format(now));
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Pauses the recipient's active enrollments for {@code owner} until {@code until} (an out-of-office). */
  public int pauseFor(String owner, String recipient, Instant until, String reason, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "pause the enrollments of a recipient",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE enrollments SET state = 'paused', paused_until = ?, reason = ?, updated_at = ? WHERE owner = ? AND recipient = ?"
                        + " AND state = 'active'")) {
              ps.setString(1, Timestamps.format(until));
              ps.setString(2, reason);
              ps.setString(3, Timestamps.format(at));
              ps.setString(4, owner);
              ps.setString(5, recipient);
              return ps.executeUpdate();
            }
          });
    }
  }

  private static final String COLUMNS =
      "e.id, e.sequence_id, e.owner, e.recipient, e.email, e.phone, e.cc, e.vars_json, e.state, e.next_stage, e.next_due_at, e.paused_until, e.reason";
  static final String SELECT_E = "SELECT " + COLUMNS + " FROM enrollments e";
  private static final String SELECT = SELECT_E;

  static Optional<EnrollmentRow> row(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE e.id = ?")) {
      ps.setString(1, id);
      List<EnrollmentRow> r = rows(ps);
      return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }
  }

  static List<EnrollmentRow> rows(PreparedStatement ps) throws SQLException {
    List<EnrollmentRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new EnrollmentRow(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getInt(10), SequenceStore.instant(rs.getString(11)), SequenceStore.instant(rs.getString(12)),
                rs.getString(13)));
      }
    }
    return out;
  }
}
