package comms.core.store;

import comms.core.Recipients;
import comms.core.Timestamps;
import comms.core.delivery.MessageIds;
import comms.core.outbox.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The Message-IDs comms chose for its email stage sends, with the owner and recipient each went
 * from and to: what replies.sync matches a reply's In-Reply-To and References against.
 */
public final class SentMessages {
  private final Store store;

  private SentMessages(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static SentMessages of(Store store) {
    return new SentMessages(store);
  }

  /** One message we sent. {@code messageId} is bare (no angle brackets, lower case). */
  public record Sent(String messageId, String deliveryId, String owner, String recipient, String sequenceId, Integer stage, String subjectSha256, Instant sentAt) {}

  /** Records a Message-ID before its message is dispatched; a re-send of the same delivery keeps the first row. */
  public void record(String messageId, String deliveryId, String owner, String recipient, String sequenceId, Integer stage, String subject, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record the Message-ID of " + deliveryId,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO sent_messages (message_id, delivery_id, owner, recipient, sequence_id, stage, subject_sha256, sent_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
              ps.setString(1, MessageIds.bare(messageId));
              ps.setString(2, deliveryId);
              ps.setString(3, Recipients.normalize(owner));
              ps.setString(4, Recipients.normalize(recipient));
              ps.setString(5, sequenceId);
              if (stage == null) {
                ps.setNull(6, java.sql.Types.INTEGER);
              } else {
                ps.setInt(6, stage);
              }
              ps.setString(7, subject == null ? null : subjectHash(subject));
              ps.setString(8, Timestamps.format(at));
              return ps.executeUpdate();
            }
          });
    }
  }

  /** The message we sent with this Message-ID (any spelling: brackets and case do not matter). */
  public Optional<Sent> find(String messageId) {
    List<Sent> r = query("SELECT " + COLUMNS + " FROM sent_messages WHERE message_id = ?", MessageIds.bare(messageId));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /** What {@code owner} sent {@code recipient}, newest first. */
  public List<Sent> to(String owner, String recipient) {
    return query(
        "SELECT " + COLUMNS + " FROM sent_messages WHERE owner = ? AND recipient = ? ORDER BY sent_at DESC", Recipients.normalize(owner), Recipients.normalize(recipient));
  }

  /**
   * The SHA-256 of a subject as a conversation sees it: without Re:/Fwd:/AW:/SV:/Automatic reply: prefixes, spaces
   * collapsed, lower case; a reply that kept no In-Reply-To still keeps the subject.
   */
  public static String subjectHash(String subject) {
    String s = subject == null ? "" : subject.strip();
    String before;
    do {
      before = s;
      s = s.replaceFirst("(?i)^(re|fw|fwd|aw|sv|wg|antw|automatic reply|auto|out of (the )?office)\\s*(\\[\\d+\\])?\\s*:\\s*", "").strip();
    } while (!s.equals(before));
    return Sha256.hex(s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
  }

  private static final String COLUMNS = "message_id, delivery_id, owner, recipient, sequence_id, stage, subject_sha256, sent_at";

  private List<Sent> query(String sql, String... args) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read sent Message-IDs",
          () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
              }
              return rows(ps);
            }
          });
    }
  }

  private static List<Sent> rows(PreparedStatement ps) throws SQLException {
    List<Sent> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int stage = rs.getInt(6);
        out.add(new Sent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.wasNull() ? null : stage, rs.getString(7),
            Timestamps.parse(rs.getString(8))));
      }
    }
    return out;
  }
}
