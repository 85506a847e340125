package comms.core.store;

import comms.core.CommsException;
import comms.core.Recipients;
import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The suppression table: addresses, phone numbers and email domains nobody sends to, lifted ones kept
 * as history.
 */
public final class SuppressionStore {
  /** The suppression kinds: one email address, one phone number, or a whole email domain. */
  public static final List<String> KINDS = List.of("address", "phone", "domain");

  private final Store store;

  private SuppressionStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static SuppressionStore of(Store store) {
    return new SuppressionStore(store);
  }

  /** One suppression; removedAt is null while it is in force. */
  public record Suppression(String kind, String value, String reason, Instant createdAt, Instant removedAt) {}

  /** Suppresses an address, phone or domain; false when the same one is already in force. */
  public boolean addSuppression(String kind, String value, String reason, Instant at) {
    synchronized (store) {
      String v = suppressionValue(kind, value);
      Store.require(reason, "reason");
      Connection c = store.open(true);
      return store.run(
          "add a suppression",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO suppression (kind, value, reason, created_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (kind, value) WHERE removed_at IS NULL DO NOTHING")) {
              ps.setString(1, kind);
              ps.setString(2, v);
              ps.setString(3, reason);
              ps.setString(4, Timestamps.format(at));
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /** Lifts a suppression (kept as history with removed_at); false when none was in force. */
  public boolean removeSuppression(String kind, String value, Instant at) {
    synchronized (store) {
      String v = suppressionValue(kind, value);
      Connection c = store.open(false);
      if (c == null) {
        return false;
      }
      return store.run(
          "remove a suppression",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE suppression SET removed_at = ? WHERE kind = ? AND value = ? AND removed_at IS NULL")) {
              ps.setString(1, Timestamps.format(at));
              ps.setString(2, kind);
              ps.setString(3, v);
              return ps.executeUpdate() > 0;
            }
          });
    }
  }

  /** The suppressions in force, by kind and value. */
  public List<Suppression> listSuppressions() {
    synchronized (store) {
      return listSuppressions(false);
    }
  }

  /** The suppressions in force, or every one ever made (lifted ones with removedAt). */
  public List<Suppression> listSuppressions(boolean includeRemoved) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "list suppressions",
          () -> {
            String sql =
                "SELECT kind, value, reason, created_at, removed_at FROM suppression"
                    + (includeRemoved ? "" : " WHERE removed_at IS NULL")
                    + " ORDER BY kind, value, id";
            List<Suppression> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
              while (rs.next()) {
                String removed = rs.getString(5);
                out.add(
                    new Suppression(
                        rs.getString(1), rs.getString(2), rs.getString(3), Instant.parse(rs.getString(4)),
                        removed == null ? null : Instant.parse(removed)));
              }
            }
            return out;
          });
    }
  }

  /**
   * Why a recipient must not be contacted, if it is suppressed: its exact address or phone number,
   * or its email domain or any parent domain (a suppressed lakeside.example covers
   * billing.lakeside.example). The exact address wins over a domain, a nearer domain over a parent.
   */
  public Optional<String> suppressionMatch(String channel, String recipient) {
    synchronized (store) {
      String r = Recipients.normalize(recipient);
      if (r == null || r.isEmpty()) {
        return Optional.empty();
      }
      List<String[]> wanted = new ArrayList<>();
      if (Recipients.isEmail(r)) {
        wanted.add(new String[] {"address", r});
        String d = Recipients.domain(r.substring(r.lastIndexOf('@') + 1));
        while (!d.isEmpty()) {
          wanted.add(new String[] {"domain", d});
          int dot = d.indexOf('.');
          d = dot < 0 ? "" : d.substring(dot + 1);
        }
      } else {
        wanted.add(new String[] {"phone", r});
      }
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "check suppressions",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT reason FROM suppression WHERE kind = ? AND value = ? AND removed_at IS NULL ORDER BY id LIMIT 1")) {
              for (String[] w : wanted) {
                ps.setString(1, w[0]);
                ps.setString(2, w[1]);
                try (ResultSet rs = ps.executeQuery()) {
                  if (rs.next()) {
                    return Optional.of(w[0] + " " + w[1] + " is suppressed: " + rs.getString(1));
                  }
                }
              }
              return Optional.<String>empty();
            }
          });
    }
  }

  private static String suppressionValue(String kind, String value) {
    if (!KINDS.contains(kind)) {
      throw CommsException.usage("suppression kind '" + kind + "' is not one of " + String.join(", ", KINDS));
    }
    Store.require(value, kind);
    String v = kind.equals("domain") ? Recipients.domain(value) : Recipients.normalize(value);
    if (kind.equals("address") && !Recipients.isEmail(v)) {
      throw CommsException.usage("'" + value + "' is not an email address; use --domain for a whole domain");
    }
    if (kind.equals("domain") && (v.isEmpty() || v.contains("@"))) {
      throw CommsException.usage("'" + value + "' is not a domain; give it without the name before '@', e.g. lakeside.example");
    }
    return v;
  }
}
