package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sequences, their state and its version, in the state store. Every state change names the
 * {@code state_version} it read: a stale one changes nothing and is refused, so of two processes
 * racing on one sequence exactly one wins.
 */
public final class SequenceStore {
  private final Store store;

  private SequenceStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static SequenceStore of(Store store) {
    return new SequenceStore(store);
  }

  Store store() {
    return store;
  }

  /** One sequence as stored: its definition (stages, window, holidays) is the JSON the file gave. */
  public record SequenceRow(
      String id,
      String name,
      String owner,
      String zone,
      String definitionJson,
      String state,
      int stateVersion,
      Instant createdAt,
      Instant updatedAt,
      Instant launchedAt) {}

  /** Creates a draft at state_version 1. */
  public SequenceRow create(String id, String name, String owner, String zone, String definitionJson, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "create sequence " + id,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO sequences (id, name, owner, zone, definition_json, state, state_version, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'draft', 1, ?, ?)")) {
              ps.setString(1, id);
              ps.setString(2, name);
              ps.setString(3, owner);
              ps.setString(4, zone);
              ps.setString(5, definitionJson);
              ps.setString(6, Timestamps.format(at));
              ps.setString(7, Timestamps.format(at));
              return ps.executeUpdate();
            }
          });
      return find(id).orElseThrow();
    }
  }

  public Optional<SequenceRow> find(String id) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run("read sequence " + id, () -> row(c, id));
    }
  }

  /** Every sequence of {@code owner} (all owners when null), newest first. */
  public List<SequenceRow> list(String owner) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list sequences",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(SELECT + (owner == null ? "" : " WHERE owner = ?") + " ORDER BY created_at DESC, id DESC")) {
              if (owner != null) {
                ps.setString(1, owner);
              }
              List<SequenceRow> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(row(rs));
                }
              }
              return out;
            }
          });
    }
  }

  /** What a versioned change does besides moving the state: nothing, a new definition, or the launch time. */
  public record Change(String state, String name, String zone, String definitionJson, Instant launchedAt) {
    public static Change to(String state) {
      return new Change(state, null, null, null, null);
    }
  }

  /**
   * Applies {@code change} when the sequence is still at {@code expectedVersion}, bumping the version,
   * and runs {@code alongside} in the same transaction (the audit row, the enrollments' due times).
   * A stale version changes nothing and is refused with exit 3.
   */
  public SequenceRow change(String id, int expectedVersion, Change change, Instant at, Runnable alongside) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "change sequence " + id,
          c,
          () -> {
            SequenceRow now = row(c, id).orElseThrow(() -> unknown(id));
            if (now.stateVersion() != expectedVersion) {
              throw stale(now, expectedVersion);
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE sequences SET state = ?, name = COALESCE(?, name), zone = COALESCE(?, zone),"
                        + " definition_json = COALESCE(?, definition_json), launched_at = COALESCE(?, launched_at),"
                        + " state_version = state_version + 1, updated_at = ? WHERE id = ? AND state_version = ?")) {
              ps.setString(1, change.state() == null ? now.state() : change.state());
              ps.setString(2, change.name());
              ps.setString(3, change.zone());
              ps.setString(4, change.definitionJson());
              ps.setString(5, change.launchedAt() == null ? null : Timestamps.format(change.launchedAt()));
              ps.setString(6, Timestamps.format(at));
              ps.setString(7, id);
              ps.setInt(8, expectedVersion);
              if (ps.executeUpdate() != 1) {
                throw stale(now, expectedVersion);
              }
            }
            alongside.run();
            return null;
          });
      return find(id).orElseThrow();
    }
  }

  /** Marks an active sequence completed once none of its enrollments can send again (no version check: the worker's own bookkeeping). */
  public boolean completeIfDone(String id, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "complete sequence " + id,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE sequences SET state = 'completed', state_version = state_version + 1, updated_at = ?"
                        + " WHERE id = ? AND state = 'active' AND NOT EXISTS"
                        + " (SELECT 1 FROM enrollments WHERE sequence_id = ? AND state IN ('active', 'paused'))")) {
              ps.setString(1, Timestamps.format(at));
              ps.setString(2, id);
              ps.setString(3, id);
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /** Enrollments of the sequence by state, every state present (zero when none). */
  public Map<String, Integer> counts(String sequenceId) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : EnrollmentStore.STATES) {
      out.put(s, 0);
    }
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return out;
      }
      return store.run(
          "count enrollments",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM enrollments WHERE sequence_id = ? GROUP BY state")) {
              ps.setString(1, sequenceId);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.put(rs.getString(1), rs.getInt(2));
                }
              }
              return out;
            }
          });
    }
  }

  static CommsException unknown(String id) {
    return new comms.core.Refused(comms.core.Refused.Why.NOT_FOUND, ExitCode.USAGE, "there is no sequence " + id + "; comms sequence.list shows them");
  }

  private static CommsException stale(SequenceRow now, int expected) {
    return new comms.core.Refused(
        comms.core.Refused.Why.STALE_VERSION,
        ExitCode.CONTRACT,
        "sequence " + now.id() + " is at state_version " + now.stateVersion() + " (" + now.state() + "), not " + expected
            + ": someone changed it since you read it; nothing was changed. Read it again (comms sequence.show " + now.id()
            + ") and retry with --state-version " + now.stateVersion());
  }

  private static final String SELECT =
      "SELECT id, name, owner, zone, definition_json, state, state_version, created_at, updated_at, launched_at FROM sequences";

  static Optional<SequenceRow> row(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private static SequenceRow row(ResultSet rs) throws SQLException {
    return new SequenceRow(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
        Timestamps.parse(rs.getString(8)), Timestamps.parse(rs.getString(9)), instant(rs.getString(10)));
  }

  static Instant instant(String s) {
    return s == null ? null : Timestamps.parse(s);
  }

  static String text(Instant at) {
    return at == null ? null : Timestamps.format(at);
  }
}
