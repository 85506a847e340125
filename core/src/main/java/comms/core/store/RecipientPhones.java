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
 * Recipients' phone numbers and their consent to be texted by iMessage (recipient_phones), and the
 * iMessage suppressions a revocation or an inbound STOP adds (imessage_suppressions).
 */
public final class RecipientPhones {
  private final Store store;

  private RecipientPhones(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static RecipientPhones of(Store store) {
    return new RecipientPhones(store);
  }

  /** One recipient's number and consent; consent time and disclosure are null when never given. */
  public record PhoneConsent(
      String email, String phoneE164, boolean consentForImessage, Instant consentAt, String disclosureText, String registeredBy, Instant updatedAt,
      Instant revokedAt, String revokedSource) {}

  /** Stores (or replaces) {@code email}'s number with consent given at {@code consentAt} to {@code disclosure}. */
  public void register(String email, String phone, Instant consentAt, String disclosure, String by, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "register a recipient's phone",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO recipient_phones (email, phone_e164, phone_consent_for_imessage, phone_consent_at, phone_consent_disclosure_text,"
                        + " registered_by, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET phone_e164 = excluded.phone_e164,"
                        + " phone_consent_for_imessage = 1, phone_consent_at = excluded.phone_consent_at,"
                        + " phone_consent_disclosure_text = excluded.phone_consent_disclosure_text, registered_by = excluded.registered_by,"
                        + " updated_at = excluded.updated_at, revoked_at = NULL, revoked_source = NULL")) {
              ps.setString(1, email);
              ps.setString(2, phone);
              ps.setString(3, Timestamps.format(consentAt));
              ps.setString(4, disclosure);
              ps.setString(5, by);
              ps.setString(6, Timestamps.format(now));
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /**
   * Turns the consent of every recipient holding {@code phone} off and adds its iMessage suppression,
   * in one transaction; the number of recipients whose flag was on.
   */
  public int revoke(String phone, String source, Instant now) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "revoke a phone's iMessage consent",
          c,
          () -> {
            int n;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE recipient_phones SET phone_consent_for_imessage = 0, revoked_at = ?, revoked_source = ?, updated_at = ?"
                        + " WHERE phone_e164 = ? AND phone_consent_for_imessage = 1")) {
              ps.setString(1, Timestamps.format(now));
              ps.setString(2, source);
              ps.setString(3, Timestamps.format(now));
              ps.setString(4, phone);
              n = ps.executeUpdate();
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO imessage_suppressions (phone_e164, source, created_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (phone_e164) WHERE removed_at IS NULL DO NOTHING")) {
              ps.setString(1, phone);
              ps.setString(2, source);
              ps.setString(3, Timestamps.format(now));
              ps.executeUpdate();
            }
            return n;
          });
    }
  }

  /** {@code email}'s number and consent, if ever registered. */
  public Optional<PhoneConsent> find(String email) {
    return query("SELECT * FROM recipient_phones WHERE email = ?", email).stream().findFirst();
  }

  /** Every recipient registered with {@code phone}. */
  public List<PhoneConsent> withPhone(String phone) {
    return query("SELECT * FROM recipient_phones WHERE phone_e164 = ? ORDER BY email", phone);
  }

  /** Why {@code phone} must not get an iMessage (the source of its suppression), if it is suppressed. */
  public Optional<String> suppressed(String phone) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run(
          "read the iMessage suppressions",
          () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source FROM imessage_suppressions WHERE phone_e164 = ? AND removed_at IS NULL")) {
              ps.setString(1, phone);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
              }
            }
          });
    }
  }

  private List<PhoneConsent> query(String sql, String arg) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read recipients' phones",
          () -> {
            List<PhoneConsent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setString(1, arg);
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

  private static PhoneConsent row(ResultSet rs) throws SQLException {
    return new PhoneConsent(
        rs.getString("email"), rs.getString("phone_e164"), rs.getInt("phone_consent_for_imessage") == 1, instant(rs.getString("phone_consent_at")),
        rs.getString("phone_consent_disclosure_text"), rs.getString("registered_by"), instant(rs.getString("updated_at")),
        instant(rs.getString("revoked_at")), rs.getString("revoked_source"));
  }

  static Instant instant(String s) {
    return s == null ? null : Timestamps.parse(s);
  }
}
