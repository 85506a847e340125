package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * store.migrate: copies a SQLite store into an empty PostgreSQL one, row for row and column for
 * column (ids included, so the audit log keeps its ids and order), in one transaction, then checks
 * every table on both sides: the row count and a SHA-256 over the rows (each row hashed, the hashes
 * sorted, so neither engine's collation matters). Any difference and nothing is committed.
 */
public final class StoreCopy {
  private StoreCopy() {}

  /** Tables in an order that satisfies the foreign keys; a table the source has beyond these goes after them. */
  static final List<String> ORDER =
      List.of(
          "consent", "suppression", "idempotency", "operators", "audit_log", "send_caps", "sequences", "enrollments", "stage_sends", "approvals",
          "cap_units", "inbound_review", "sent_messages", "reply_watch", "inbound_mail", "engagement_events", "webhook_refusals",
          "snippet_versions", "snippet_cosigns", "send_pacing", "gmail_watch", "recipient_phones", "imessage_suppressions", "imessage_outbound",
          "imessage_daemon_health");

  /** Identity columns PostgreSQL numbers itself: after the copy they continue from the largest copied value. */
  static final Map<String, String> IDENTITIES =
      Map.of("consent", "id", "suppression", "id", "audit_log", "id", "inbound_review", "id", "inbound_mail", "id", "webhook_refusals", "id",
          "imessage_suppressions", "id");

  /** One table as copied: its rows and the hash both sides agree on. */
  public record Table(String name, long rows, String sha256) {}

  /** The tables of {@code from} that a copy would take, with their counts and hashes (a dry run); none when it does not exist yet. */
  public static List<Table> survey(Store from) {
    Connection src = from.open(false);
    if (src == null) {
      return List.of();
    }
    return from.run("read the tables to copy", () -> {
      List<Table> out = new ArrayList<>();
      for (String t : tables(src)) {
        List<String> cols = columns(src, t);
        out.add(new Table(t, count(src, t), digest(src, t, cols)));
      }
      return out;
    });
  }

  /** Copies {@code from} (SQLite) into {@code to} (an empty PostgreSQL store, migrated here first) and checks it. */
  public static List<Table> copy(Store from, Store to) {
    if (from.postgres() || !to.postgres()) {
      throw CommsException.usage("store.migrate copies a SQLite store (--from sqlite:PATH) into a PostgreSQL one (--to postgresql://…)");
    }
    Connection src = source(from);
    if (from.schemaVersion() != Migrations.latest()) {
      throw new CommsException(ExitCode.CONTRACT, from.describe() + " is at schema version " + from.schemaVersion() + ", not " + Migrations.latest());
    }
    synchronized (to) {
      Connection dst = to.open(true);
      return to.transaction("copy " + from.describe(), dst, true, () -> {
        List<String> tables = tables(src);
        for (String t : tables) {
          long there = count(dst, t);
          if (there > 0) {
            throw new CommsException(
                ExitCode.CONTRACT, to.describe() + " already holds " + there + " rows in " + t + "; copy into an empty database (nothing was changed)");
          }
        }
        List<Table> out = new ArrayList<>();
        for (String t : tables) {
          List<String> cols = columns(src, t);
          copyRows(src, dst, t, cols);
          String id = IDENTITIES.get(t);
          if (id != null) {
            reseed(dst, t, id);
          }
          long a = count(src, t);
          long b = count(dst, t);
          String ha = digest(src, t, cols);
          String hb = digest(dst, t, cols);
          if (a != b || !ha.equals(hb)) {
            throw new CommsException(
                ExitCode.INTERNAL,
                "the copy of " + t + " does not match its source (" + a + " rows, sha256 " + ha.substring(0, 12) + " vs " + b + " rows, sha256 "
                    + hb.substring(0, 12) + "); nothing was committed");
          }
          out.add(new Table(t, a, ha));
        }
        // Insertion order SQLite kept in rowid: PostgreSQL's rowid identities continue after the copied ones.
        for (String t : List.of("enrollments", "approvals")) {
          if (tables.contains(t)) {
            reseed(dst, t, "rowid");
          }
        }
        return out;
      });
    }
  }

  private static Connection source(Store from) {
    Connection src = from.open(false);
    if (src == null) {
      throw new CommsException(ExitCode.CONTRACT, from.describe() + " does not exist; name the comms.db to copy with --from sqlite:PATH");
    }
    return src;
  }

  private static List<String> tables(Connection src) throws SQLException {
    List<String> present = new ArrayList<>();
    try (Statement st = src.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'snippet_search%' ORDER BY name")) {
      while (rs.next()) {
        present.add(rs.getString(1));
      }
    }
    List<String> out = new ArrayList<>();
    for (String t : ORDER) {
      if (present.remove(t)) {
        out.add(t);
      }
    }
    out.addAll(present);
    return out;
  }

  private static List<String> columns(Connection src, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = src.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        out.add(rs.getString("name"));
      }
    }
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void copyRows(Connection src, Connection dst, String table, List<String> cols) throws SQLException {
    String list = String.join(", ", cols);
    String marks = String.join(", ", java.util.Collections.nCopies(cols.size(), "?"));
    try (Statement st = src.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + list + " FROM " + table + " ORDER BY rowid");
        PreparedStatement ins = dst.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES (" + marks + ")")) {
      int batch = 0;
      while (rs.next()) {
        for (int i = 1; i <= cols.size(); i++) {
          Object v = rs.getObject(i);
          if (v == null) {
            ins.setNull(i, Types.NULL);
          } else if (v instanceof Number n) {
            ins.setLong(i, n.longValue());
          } else {
            ins.setString(i, v.toString());
          }
        }
        ins.addBatch();
        if (++batch % 1000 == 0) {
          ins.executeBatch();
        }
      }
      ins.executeBatch();
    }
  }

  private static void reseed(Connection dst, String table, String column) throws SQLException {
    try (Statement st = dst.createStatement()) {
      st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), COALESCE((SELECT MAX(" + column + ") FROM " + table
          + "), 0) + 1, false)");
    }
  }

  /** SHA-256 over the sorted SHA-256s of the rows, each row its values as text (null as \N) joined by tabs. */
  static String digest(Connection c, String table, List<String> cols) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + String.join(", ", cols) + " FROM " + table)) {
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= cols.size(); i++) {
          Object v = rs.getObject(i);
          b.append(i > 1 ? "\t" : "").append(v == null ? "\\N" : v instanceof Number n ? Long.toString(n.longValue()) : v.toString());
        }
        rows.add(sha256(b.toString()));
      }
    }
    java.util.Collections.sort(rows);
    return sha256(String.join("\n", rows));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tables as a map, for views. */
  public static Map<String, Object> tree(List<Table> tables) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Table t : tables) {
      m.put(t.name(), Map.of("rows", t.rows(), "sha256", t.sha256()));
    }
    return m;
  }
}
