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
import java.util.Optional;

/**
 * The consent table: each recipient's recorded consent per channel, kept as history; the latest record wins.
 */
public final class ConsentStore {
  private final Store store;

  private ConsentStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static ConsentStore of(Store store) {
    return new ConsentStore(store);
  }

  /** One consent record: a recipient's state on a channel, who said so, and when. */
  public record ConsentRecord(String channel, String recipient, String state, String source, Instant recordedAt) {}

  /** Adds a record; earlier ones stay as history. */
  public void recordConsent(String channel, String recipient, String state, String source, Instant at) {
    synchronized (store) {
      Store.require(channel, "channel");
      Store.require(recipient, "recipient");
      Store.require(state, "state");
      Store.require(source, "source");
      Connection c = store.open(true);
      store.run(
          "record consent",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO consent (channel, recipient, state, source, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
              ps.setString(1, channel);
              ps.setString(2, Recipients.normalize(recipient));
              ps.setString(3, state);
              ps.setString(4, source);
              ps.setString(5, Timestamps.format(at));
              return ps.executeUpdate();
            }
          });
    }
  }

  /** The latest recorded state (latest time, then latest written), if any. */
  public Optional<String> consentState(String channel, String recipient) {
    synchronized (store) {
      List<ConsentRecord> h = consent(channel, recipient, 1);
      return h.isEmpty() ? Optional.empty() : Optional.of(h.get(0).state());
    }
  }

  /** Every record for the recipient on the channel, newest first. */
  public List<ConsentRecord> consentHistory(String channel, String recipient) {
    synchronized (store) {
      return consent(channel, recipient, Integer.MAX_VALUE);
    }
  }

  private List<ConsentRecord> consent(String channel, String recipient, int limit) {
    Connection c = store.open(false);
    if (c == null) {
      return List.of();
    }
    return store.run(
        "read consent",
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT channel, recipient, state, source, recorded_at FROM consent WHERE channel = ? AND recipient = ?"
                      + " ORDER BY recorded_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, channel);
            ps.setString(2, Recipients.normalize(recipient));
            ps.setInt(3, limit);
            List<ConsentRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ConsentRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.parse(rs.getString(5))));
              }
            }
            return out;
          }
        });
  }
}
