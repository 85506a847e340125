package comms.core.store;

import comms.core.Timestamps;
import comms.core.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The audit_log table: one row per mutating action, saying who did it (the actor: an operator, or an
 * agent for them), for whom (the owner operator), what, to which resource, and how it ended. Rows are
 * never changed or removed: SQLite triggers refuse UPDATE and DELETE, whoever asks.
 */
public final class AuditLog {
  /** One row; {@code payload} is non-personal metadata only (see comms.core.operator.AuditTrail). */
  public record Entry(
      long id,
      Instant occurredAt,
      String actor,
      String owner,
      String action,
      String resourceType,
      String resourceId,
      Map<String, Object> payload,
      String runKey,
      String osUser) {
    public Entry {
      Objects.requireNonNull(occurredAt);
      Objects.requireNonNull(actor);
      Objects.requireNonNull(owner);
      Objects.requireNonNull(action);
      Objects.requireNonNull(resourceType);
      payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
  }

  /** What to read: the newest {@code limit} rows, only {@code owner}'s when set, of {@code action}, at or after {@code since}. */
  public record Query(int limit, String owner, String action, Instant since) {}

  private final Store store;

  private AuditLog(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static AuditLog of(Store store) {
    return new AuditLog(store);
  }

  /** Appends one row (its id is ignored) and returns it with the id it was given. */
  public Entry append(Entry e) {
    synchronized (store) {
      Connection c = store.open(true);
      long id = store.transaction("write an audit row", c, () -> insert(c, e));
      return new Entry(id, e.occurredAt(), e.actor(), e.owner(), e.action(), e.resourceType(), e.resourceId(), e.payload(), e.runKey(), e.osUser());
    }
  }

  /**
   * Runs {@code change}, then appends the row made from its result, in one write transaction: the
   * change and its audit row are committed together or not at all. A change that throws leaves neither.
   */
  public <T> T appendWith(String what, Supplier<T> change, Function<T, Entry> entry) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          what,
          c,
          () -> {
            T result = change.get();
            insert(c, entry.apply(result));
            return result;
          });
    }
  }

  private static long insert(Connection c, Entry e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (occurred_at, actor, owner, action, resource_type, resource_id, payload, run_key, os_user)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, Timestamps.format(e.occurredAt()));
      ps.setString(2, e.actor());
      ps.setString(3, e.owner());
      ps.setString(4, e.action());
      ps.setString(5, e.resourceType());
      ps.setString(6, e.resourceId());
      ps.setString(7, Json.write(e.payload()));
      ps.setString(8, e.runKey());
      ps.setString(9, e.osUser());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        return keys.next() ? keys.getLong(1) : -1;
      }
    }
  }

  /** The newest rows matching {@code q}, newest first; none when the store does not exist yet. */
  public List<Entry> newest(Query q) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read the audit log",
          () -> {
            StringBuilder sql =
                new StringBuilder(
                    "SELECT id, occurred_at, actor, owner, action, resource_type, resource_id, payload, run_key, os_user FROM audit_log WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (q.owner() != null) {
              sql.append(" AND owner = ?");
              args.add(q.owner());
            }
            if (q.action() != null) {
              sql.append(" AND action = ?");
              args.add(q.action());
            }
            if (q.since() != null) {
              sql.append(" AND occurred_at >= ?");
              args.add(Timestamps.format(q.since()));
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
              int i = 1;
              for (String a : args) {
                ps.setString(i++, a);
              }
              ps.setInt(i, q.limit());
              List<Entry> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new Entry(
                          rs.getLong(1),
                          Instant.parse(rs.getString(2)),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getString(5),
                          rs.getString(6),
                          rs.getString(7),
                          Json.parseObject(rs.getString(8)),
                          rs.getString(9),
                          rs.getString(10)));
                }
              }
              return out;
            }
          });
    }
  }
}
