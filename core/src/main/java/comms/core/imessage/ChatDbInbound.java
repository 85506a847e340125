package comms.core.imessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Inbound texts from Messages.app's database ({@code ~/Library/Messages/chat.db}), opened read-only:
 * the rows of {@code message} not sent by us ({@code is_from_me = 0}) joined to their {@code handle}
 * (the sender's number), newer than the last ROWID read. The first poll only notes the newest ROWID.
 * The process needs Full Disk Access on macOS. A message whose {@code text} column is empty (newer
 * macOS may keep it only in {@code attributedBody}) is read as empty and so never as an opt-out.
 */
public final class ChatDbInbound implements InboundTexts {
  private final Path db;
  private long lastRowId = -1;

  public ChatDbInbound(Path db) {
    this.db = Objects.requireNonNull(db);
  }

  @Override
  public synchronized List<Text> poll() {
    if (!Files.isReadable(db)) {
      throw new PhoneTransport.TransportFailure("chat.db is not readable at " + db + " (grant the daemon Full Disk Access)");
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5000);
    try (Connection c = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
      if (lastRowId < 0) {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(ROWID), 0) FROM message");
            ResultSet rs = ps.executeQuery()) {
          lastRowId = rs.next() ? rs.getLong(1) : 0;
        }
        return List.of();
      }
      List<Text> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT m.ROWID, h.id, m.text FROM message m JOIN handle h ON h.ROWID = m.handle_id"
                  + " WHERE m.is_from_me = 0 AND m.ROWID > ? ORDER BY m.ROWID LIMIT 500")) {
        ps.setLong(1, lastRowId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            lastRowId = rs.getLong(1);
            out.add(new Text("chatdb:" + lastRowId, rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3)));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new PhoneTransport.TransportFailure("chat.db could not be read: " + e.getMessage());
    }
  }
}
