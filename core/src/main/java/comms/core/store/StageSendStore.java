package comms.core.store;

import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker's claims and their outcomes: a worker claims (enrollment, stage) in one statement, sends,
 * then records. A claim that outlives its deadline (its worker died) may be taken again; the governed
 * send's idempotency key (the same for every attempt of one stage) and the delivery log then decide
 * whether the message already went, so a crash between any two steps never sends twice.
 */
public final class StageSendStore {
  private final Store store;

  private StageSendStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static StageSendStore of(Store store) {
    return new StageSendStore(store);
  }

  /**
   * Runs {@code work} in one store transaction: the stage rows it writes commit together (group
   * commit). On PostgreSQL each of its steps keeps its own transaction (an error there aborts the whole
   * transaction, so steps that handle one could not share it).
   */
  public void together(String what, Runnable work) {
    if (store.postgres()) {
      work.run();
      return;
    }
    store.atomically(what, () -> {
      work.run();
      return null;
    });
  }

  /** One stage send as recorded. */
  public record StageSendRow(
      String enrollmentId,
      int stage,
      String sequenceId,
      String state,
      String claimedBy,
      Instant claimExpiresAt,
      String deliveryId,
      String idempotencyKey,
      int attempts,
      String errorMessage,
      Instant dueAt,
      Instant finishedAt) {}

  /**
   * Claims the stage for {@code worker} until {@code deadline}, only while the enrollment is still
   * active at that stage and its sequence active, and nobody holds a live claim or a finished row.
   * True when this worker now holds it.
   */
  public boolean claim(String enrollmentId, int stage, String sequenceId, String key, String worker, Instant dueAt, Instant now, Instant deadline) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "claim stage " + stage + " of " + enrollmentId,
          c,
          () -> {
            try (PreparedStatement check =
                c.prepareStatement(
                    "SELECT 1 FROM enrollments e JOIN sequences s ON s.id = e.sequence_id WHERE e.id = ? AND e.state = 'active'"
                        + " AND e.next_stage = ? AND s.state = 'active'")) {
              check.setString(1, enrollmentId);
              check.setInt(2, stage);
              try (ResultSet rs = check.executeQuery()) {
                if (!rs.next()) {
                  return false;
                }
              }
            }
            return upsertClaim(c, enrollmentId, stage, sequenceId, key, worker, dueAt, now, deadline);
          });
    }
  }

  /** A new row, or an expired claim taken over, in one statement; a finished or live-claimed row stays as it is. True when taken. */
  private static boolean upsertClaim(
      Connection c, String enrollmentId, int stage, String sequenceId, String key, String worker, Instant dueAt, Instant now, Instant deadline)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO stage_sends (enrollment_id, stage, sequence_id, state, claimed_by, claim_expires_at, idempotency_key, due_at)"
                + " VALUES (?, ?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT (enrollment_id, stage) DO UPDATE SET claimed_by = excluded.claimed_by,"
                + " claim_expires_at = excluded.claim_expires_at WHERE stage_sends.state = 'claimed' AND stage_sends.claim_expires_at <= ?")) {
      ps.setString(1, enrollmentId);
      ps.setInt(2, stage);
      ps.setString(3, sequenceId);
      ps.setString(4, worker);
      ps.setString(5, Timestamps.format(deadline));
      ps.setString(6, key);
      ps.setString(7, Timestamps.format(dueAt));
      ps.setString(8, Timestamps.format(now));
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Claims for {@code worker} until {@code deadline}, in one transaction, those of {@code candidates}
   * (due stage sends a worker pass found, a few at a time) that are still active at their stage in an
   * active sequence, still due at {@code now}, and held by nobody; answers the ids it took. On
   * PostgreSQL the enrollments are read FOR UPDATE SKIP LOCKED, so workers on many hosts claiming at
   * the same moment pass over each other's rows instead of waiting on them; the claim itself is the
   * single-statement upsert of {@link #claim}, so a stage goes to one worker whatever happens.
   * {@code keyOf} gives each row's idempotency key.
   */
  public java.util.Set<String> claimBatch(
      List<EnrollmentStore.EnrollmentRow> candidates, String worker, Instant now, Instant deadline,
      java.util.function.Function<EnrollmentStore.EnrollmentRow, String> keyOf) {
    if (candidates.isEmpty()) {
      return java.util.Set.of();
    }
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "claim due stage sends",
          c,
          true,
          () -> {
            String marks = String.join(", ", java.util.Collections.nCopies(candidates.size(), "?"));
            java.util.Map<String, Integer> stageOf = new java.util.HashMap<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT e.id, e.next_stage FROM enrollments e JOIN sequences s ON s.id = e.sequence_id WHERE e.id IN (" + marks + ")"
                        + " AND e.state = 'active' AND s.state = 'active' AND e.next_due_at <= ?" + store.dialect().skipLocked("e"))) {
              int i = 1;
              for (EnrollmentStore.EnrollmentRow e : candidates) {
                ps.setString(i++, e.id());
              }
              ps.setString(i, Timestamps.format(now));
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  stageOf.put(rs.getString(1), rs.getInt(2));
                }
              }
            }
            java.util.Set<String> mine = new java.util.LinkedHashSet<>();
            for (EnrollmentStore.EnrollmentRow e : candidates) {
              Integer stage = stageOf.get(e.id());
              if (stage != null && stage == e.nextStage()
                  && upsertClaim(c, e.id(), e.nextStage(), e.sequenceId(), keyOf.apply(e), worker, e.nextDueAt(), now, deadline)) {
                mine.add(e.id());
              }
            }
            return mine;
          });
    }
  }

  /**
   * Records how a claimed stage ended and moves the enrollment on, in one transaction: to
   * {@code nextStage} due at {@code nextDueAt}, or to {@code endState} (completed, stopped…) when
   * that is not null. Only the claim's holder can finish it.
   */
  public void finish(
      String enrollmentId, int stage, String worker, String state, String deliveryId, int attempts, String error, Instant now,
      int nextStage, Instant nextDueAt, String endState, String reason) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record stage " + stage + " of " + enrollmentId,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE stage_sends SET state = ?, delivery_id = ?, attempts = ?, error_message = ?, finished_at = ?, claim_expires_at = NULL"
                        + " WHERE enrollment_id = ? AND stage = ? AND state = 'claimed' AND claimed_by = ?")) {
              ps.setString(1, state);
              ps.setString(2, deliveryId);
              ps.setInt(3, attempts);
              ps.setString(4, error);
              ps.setString(5, Timestamps.format(now));
              ps.setString(6, enrollmentId);
              ps.setInt(7, stage);
              ps.setString(8, worker);
              if (ps.executeUpdate() != 1) {
                return null;
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE enrollments SET next_stage = ?, next_due_at = ?, state = COALESCE(?, state), reason = ?,"
                        + " updated_at = ? WHERE id = ? AND state = 'active'")) {
              ps.setInt(1, nextStage);
              ps.setString(2, endState == null ? SequenceStore.text(nextDueAt) : null);
              ps.setString(3, endState);
              ps.setString(4, reason);
              ps.setString(5, Timestamps.format(now));
              ps.setString(6, enrollmentId);
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /**
   * Gives the claim up without a send (a window, a holiday, a cap, a watch): the row goes, and the
   * enrollment is due again at {@code until} with {@code reason}.
   */
  public void defer(String enrollmentId, int stage, String worker, Instant until, String reason, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "defer stage " + stage + " of " + enrollmentId,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM stage_sends WHERE enrollment_id = ? AND stage = ? AND state = 'claimed' AND claimed_by = ?")) {
              ps.setString(1, enrollmentId);
              ps.setInt(2, stage);
              ps.setString(3, worker);
              if (ps.executeUpdate() != 1) {
                return null;
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE enrollments SET next_due_at = ?, reason = ?, updated_at = ? WHERE id = ? AND state = 'active'")) {
              ps.setString(1, Timestamps.format(until));
              ps.setString(2, reason);
              ps.setString(3, Timestamps.format(now));
              ps.setString(4, enrollmentId);
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /** Marks a claimed stage whose outcome nobody knows (no answer from the provider): reported, never retried blindly. */
  public void unknown(String enrollmentId, int stage, String worker, String error, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "mark stage " + stage + " of " + enrollmentId + " unknown",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE stage_sends SET state = 'unknown', error_message = ?, finished_at = ?, claim_expires_at = NULL"
                        + " WHERE enrollment_id = ? AND stage = ? AND state = 'claimed' AND claimed_by = ?")) {
              ps.setString(1, error);
              ps.setString(2, Timestamps.format(now));
              ps.setString(3, enrollmentId);
              ps.setInt(4, stage);
              ps.setString(5, worker);
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE enrollments SET state = 'paused', paused_until = NULL, reason = ?, updated_at = ? WHERE id = ? AND state = 'active'")) {
              ps.setString(1, "unknown_outcome:stage_" + stage);
              ps.setString(2, Timestamps.format(now));
              ps.setString(3, enrollmentId);
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /** Every stage send of the sequence (all when null), in the order they were due. */
  public List<StageSendRow> inSequence(String sequenceId) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list stage sends",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT enrollment_id, stage, sequence_id, state, claimed_by, claim_expires_at, delivery_id, idempotency_key, attempts,"
                        + " error_message, due_at, finished_at FROM stage_sends" + (sequenceId == null ? "" : " WHERE sequence_id = ?")
                        + " ORDER BY due_at, enrollment_id, stage")) {
              if (sequenceId != null) {
                ps.setString(1, sequenceId);
              }
              List<StageSendRow> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new StageSendRow(
                          rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), SequenceStore.instant(rs.getString(6)),
                          rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10), Timestamps.parse(rs.getString(11)),
                          SequenceStore.instant(rs.getString(12))));
                }
              }
              return out;
            }
          });
    }
  }

  /** The recorded row of one stage, if any. */
  public Optional<StageSendRow> find(String enrollmentId, int stage) {
    return inSequence(null).stream().filter(r -> r.enrollmentId().equals(enrollmentId) && r.stage() == stage).findFirst();
  }
}
