package comms.core.store;

import comms.core.Recipients;
import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Inbound messages flagged for a person to review: texts that might revoke consent but do not clearly
 * say so ("can I stop by tomorrow?"), kept with who sent them and what they said, never acted on alone.
 */
public final class InboundReview {
  private final Store store;

  private InboundReview(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static InboundReview of(Store store) {
    return new InboundReview(store);
  }

  /** One flagged message: the sender (canonical), its text, the stop word it contained, when it came. */
  public record Flag(long id, String channel, String recipient, String body, String matched, Instant receivedAt, String runKey) {}

  /** Keeps {@code body} from {@code recipient} for review; returns the flag's id. */
  public long flag(String channel, String recipient, String body, String matched, Instant at, String runKey) {
    Objects.requireNonNull(channel);
    Objects.requireNonNull(recipient);
    Objects.requireNonNull(body);
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "flag an inbound message for review",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO inbound_review (channel, recipient, body, matched, received_at, run_key) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
              ps.setString(1, channel);
              ps.setString(2, Recipients.normalize(recipient));
              ps.setString(3, body);
              ps.setString(4, matched);
              ps.setString(5, Timestamps.format(at));
              ps.setString(6, runKey);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            }
          });
    }
  }

  /** Every flagged message from {@code recipient} (any spelling), newest first. */
  public List<Flag> flagsFrom(String recipient) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read inbound messages flagged for review",
          () -> {
            List<Flag> out = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id, channel, recipient, body, matched, received_at, run_key FROM inbound_review WHERE recipient = ? ORDER BY id DESC")) {
              ps.setString(1, Recipients.normalize(recipient));
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(new Flag(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), Instant.parse(rs.getString(6)), rs.getString(7)));
                }
              }
            }
            return out;
          });
    }
  }
}
