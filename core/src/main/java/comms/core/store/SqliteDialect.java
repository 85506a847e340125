package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The SQLite file in the outbox. Several comms processes may use one file at once: WAL mode lets
 * readers run beside a writer, writes take the lock up front (BEGIN IMMEDIATE) and wait up to
 * {@link Store#BUSY_TIMEOUT_MS} for it, so no caller ever sees "database is locked" under normal contention.
 */
final class SqliteDialect implements StoreDialect {
  private final Path file;

  SqliteDialect(Path file) {
    this.file = file;
  }

  @Override
  public String describe() {
    return "the state store " + file;
  }

  @Override
  public boolean exists() {
    return Files.exists(file);
  }

  @Override
  public void prepare() {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "cannot create the state folder for " + file + " (" + e.getMessage() + "); make the outbox folder writable",
          e);
    }
  }

  /**
   * Connects, tried again while another connection is setting the same new file up: SQLite answers
   * SQLITE_BUSY to {@code PRAGMA journal_mode=WAL} at once in that moment, without waiting for the
   * busy timeout, so the wait happens here, up to the same timeout.
   */
  @Override
  public Connection connect() throws SQLException {
    long deadline = System.nanoTime() + Store.BUSY_TIMEOUT_MS * 1_000_000L;
    for (int attempt = 1; ; attempt++) {
      try {
        return connectOnce();
      } catch (SQLException e) {
        if (!busy(e) || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(Math.min(50, 2L * attempt) + java.util.concurrent.ThreadLocalRandom.current().nextInt(5));
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private Connection connectOnce() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(Store.BUSY_TIMEOUT_MS);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      // Switching to WAL needs a moment of exclusive access; the busy timeout above covers a race with another process.
      st.execute("PRAGMA journal_mode=WAL");
    } catch (SQLException e) {
      Store.closeQuietly(c);
      throw e;
    }
    return CachedStatements.wrap(c);
  }

  /** SQLITE_BUSY or SQLITE_LOCKED (the primary result code, the low byte of an extended one: https://sqlite.org/rescode.html). */
  static boolean busy(SQLException e) {
    int primary = primary(e);
    return primary == 5 || primary == 6;
  }

  private static int primary(SQLException e) {
    return e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
  }

  @Override
  public void migrate(Store store, Connection c) {
    int latest = Migrations.latest();
    int seen = store.run("read the schema version", () -> schemaVersion(c));
    if (seen == latest) {
      return;
    }
    if (seen > latest) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "the state store " + file + " has schema version " + seen + " but this comms knows only up to " + latest
              + "; run a newer comms on this outbox");
    }
    store.transaction(
        "migrate the schema",
        c,
        () -> {
          // Re-read under the write lock: another process may have migrated since we looked.
          int v = schemaVersion(c);
          try (Statement st = c.createStatement()) {
            for (Migrations.Migration m : Migrations.ALL) {
              if (m.version() <= v) {
                continue;
              }
              for (String sql : m.statements()) {
                st.execute(sql);
              }
              m.rows().run(c);
              st.execute("PRAGMA user_version = " + m.version());
            }
          }
          return null;
        });
  }

  @Override
  public int schemaVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Override
  public String skipLocked(String alias) {
    return "";
  }

  @Override
  public void begin(Connection c, String operator, boolean rowLocks) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
    }
  }

  @Override
  public void commit(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("COMMIT");
    }
  }

  @Override
  public void rollback(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // The transaction may already be gone; the original failure is what matters.
    }
  }

  @Override
  public void actingAs(Connection c, String operator) {
    // SQLite has no row-level security: one file is one operator's machine.
  }

  @Override
  public boolean retryable(SQLException e) {
    // The busy timeout already waited; SQLite never asks for a transaction to be run again.
    return false;
  }

  @Override
  public CommsException failure(String what, SQLException e) {
    // SQLite's primary result codes (the low byte of an extended code): https://sqlite.org/rescode.html
    int primary = primary(e);
    if (busy(e)) {
      return new CommsException(
          ExitCode.INTERNAL,
          "the state store " + file + " stayed busy with another comms process for more than " + Store.BUSY_TIMEOUT_MS / 1000
              + " s while trying to " + what + "; nothing was changed, run again",
          e);
    }
    if (primary == 8 || primary == 14 || primary == 3 || primary == 13 || primary == 10) { // READONLY, CANTOPEN, PERM, FULL, IOERR
      return new CommsException(
          ExitCode.CONTRACT,
          "cannot " + what + " in the state store " + file + " (" + e.getMessage()
              + "); make the outbox folder writable and free disk space, then run again",
          e);
    }
    if (primary == 11 || primary == 26) { // CORRUPT, NOTADB
      return new CommsException(
          ExitCode.CONTRACT,
          "the state store " + file + " is damaged or not a comms database (" + e.getMessage()
              + "); restore it from a backup or move it aside",
          e);
    }
    return new CommsException(ExitCode.INTERNAL, "the state store " + file + " failed to " + what + ": " + e.getMessage(), e);
  }
}
