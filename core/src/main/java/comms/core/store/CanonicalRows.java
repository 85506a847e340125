package comms.core.store;

import comms.core.Recipients;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema step 6's row work: consent and suppression rows written before addresses had one canonical
 * form (phase 1 lower-cased them only) are rewritten in {@link Recipients}' form, so an opt-out or a
 * suppression recorded as {@code bücher.de} is found for {@code xn--bcher-kva.de} and the reverse.
 */
final class CanonicalRows {
  private CanonicalRows() {}

  static void rewrite(Connection c) throws SQLException {
    consent(c);
    suppressions(c);
  }

  /** Consent history is append-only; this one rewrite of its spelling lifts the guard and puts it back in the same transaction. */
  private static void consent(Connection c) throws SQLException {
    Map<Long, String> changed = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, recipient FROM consent")) {
      while (rs.next()) {
        String was = rs.getString(2);
        String now = Recipients.normalize(was);
        if (!now.equals(was)) {
          changed.put(rs.getLong(1), now);
        }
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER consent_no_update");
      try (PreparedStatement ps = c.prepareStatement("UPDATE consent SET recipient = ? WHERE id = ?")) {
        for (Map.Entry<Long, String> e : changed.entrySet()) {
          ps.setString(1, e.getValue());
          ps.setLong(2, e.getKey());
          ps.executeUpdate();
        }
      }
      st.execute(Migrations.CONSENT_NO_UPDATE);
    }
  }

  /**
   * Suppressions in canonical form. Two in force whose spellings are now one (both {@code bücher.de}
   * and {@code xn--bcher-kva.de}) become one: the oldest stays in force, the later is closed as of its
   * own creation with a note in its reason, so history keeps both and the list shows one.
   */
  private static void suppressions(Connection c) throws SQLException {
    record Row(long id, String kind, String value, String canonical, String reason, String createdAt, boolean active) {}
    List<Row> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, kind, value, reason, created_at, removed_at FROM suppression ORDER BY id")) {
      while (rs.next()) {
        String kind = rs.getString(2);
        String value = rs.getString(3);
        String canonical = kind.equals("domain") ? Recipients.domain(value) : Recipients.normalize(value);
        rows.add(new Row(rs.getLong(1), kind, value, canonical, rs.getString(4), rs.getString(5), rs.getString(6) == null));
      }
    }
    Map<String, Long> inForce = new HashMap<>();
    List<Row> merged = new ArrayList<>();
    List<Row> respelled = new ArrayList<>();
    for (Row r : rows) {
      Long first = r.active() ? inForce.putIfAbsent(r.kind() + " " + r.canonical(), r.id()) : null;
      if (first != null) {
        merged.add(r);
      } else if (!r.canonical().equals(r.value())) {
        respelled.add(r);
      }
    }
    // Close the merged ones first: the unique index allows one row in force per (kind, value).
    try (PreparedStatement ps = c.prepareStatement("UPDATE suppression SET value = ?, removed_at = ?, reason = ? WHERE id = ?")) {
      for (Row r : merged) {
        ps.setString(1, r.canonical());
        ps.setString(2, r.createdAt());
        ps.setString(3, r.reason() + " [same " + r.kind() + " as suppression #" + inForce.get(r.kind() + " " + r.canonical()) + ", written "
            + r.value() + "; merged when addresses got one canonical form]");
        ps.setLong(4, r.id());
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE suppression SET value = ? WHERE id = ?")) {
      for (Row r : respelled) {
        ps.setString(1, r.canonical());
        ps.setLong(2, r.id());
        ps.executeUpdate();
      }
    }
  }
}
