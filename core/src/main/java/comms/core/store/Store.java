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
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The SQLite state file in the outbox (state/comms.db): opening and migrating it, transactions and
 * the mapping of SQLite failures to sentences. The tables live in their repositories (ConsentStore,
 * SuppressionStore, IdempotencyStore, Roster, AuditLog, SendCaps, SequenceStore, …). Opened on first use, so commands that never ask for state never touch it; a
 * read against a store that does not exist yet answers "nothing recorded" without creating it.
 *
 * <p>Several comms processes may use one file at once: WAL mode lets readers run beside a writer,
 * writes take the lock up front (BEGIN IMMEDIATE) and wait up to {@link #BUSY_TIMEOUT_MS} for it,
 * so no caller ever sees "database is locked" under normal contention.
 */
public final class Store implements AutoCloseable {
  public static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path file;
  private Connection connection;
  private boolean inTransaction;

  private Store(Path file) {
    this.file = Objects.requireNonNull(file);
  }

  /** A store on {@code file}; nothing is opened or created until the first call that needs it. */
  public static Store at(Path file) {
    return new Store(file);
  }

  public Path file() {
    return file;
  }

  /** The schema step the file is at (0 for a store that does not exist yet). */
  public synchronized int schemaVersion() {
    Connection c = open(false);
    return c == null ? 0 : run("read the schema version", () -> userVersion(c));
  }

  // ------------------------------------------------------------- repositories (kept for callers)
  // The tables' code lives in ConsentStore, SuppressionStore and IdempotencyStore; these delegate.

  /** The suppression kinds: one email address, one phone number, or a whole email domain. */
  public static final List<String> SUPPRESSION_KINDS = SuppressionStore.KINDS;

  /** Adds a consent record; earlier ones stay as history ({@link ConsentStore#recordConsent}). */
  public void recordConsent(String channel, String recipient, String state, String source, Instant at) {
    ConsentStore.of(this).recordConsent(channel, recipient, state, source, at);
  }

  /** The latest recorded consent state, if any ({@link ConsentStore#consentState}). */
  public Optional<String> consentState(String channel, String recipient) {
    return ConsentStore.of(this).consentState(channel, recipient);
  }

  /** Every consent record for the recipient on the channel, newest first. */
  public List<ConsentStore.ConsentRecord> consentHistory(String channel, String recipient) {
    return ConsentStore.of(this).consentHistory(channel, recipient);
  }

  /** Suppresses an address, phone or domain; false when already in force ({@link SuppressionStore#addSuppression}). */
  public boolean addSuppression(String kind, String value, String reason, Instant at) {
    return SuppressionStore.of(this).addSuppression(kind, value, reason, at);
  }

  /** Lifts a suppression, kept as history; false when none was in force. */
  public boolean removeSuppression(String kind, String value, Instant at) {
    return SuppressionStore.of(this).removeSuppression(kind, value, at);
  }

  /** The suppressions in force. */
  public List<SuppressionStore.Suppression> listSuppressions() {
    return SuppressionStore.of(this).listSuppressions();
  }

  /** The suppressions in force, or every one ever made. */
  public List<SuppressionStore.Suppression> listSuppressions(boolean includeRemoved) {
    return SuppressionStore.of(this).listSuppressions(includeRemoved);
  }

  /** Why a recipient must not be contacted, if it is suppressed ({@link SuppressionStore#suppressionMatch}). */
  public Optional<String> suppressionMatch(String channel, String recipient) {
    return SuppressionStore.of(this).suppressionMatch(channel, recipient);
  }

  /** Claims an idempotency key ({@link IdempotencyStore#claim(String, String, Instant)}). */
  public IdempotencyStore.Claim claim(String key, String deliveryId, Instant at) {
    return IdempotencyStore.of(this).claim(key, deliveryId, at);
  }

  /** Claims a key for content, a done key past its window afresh ({@link IdempotencyStore#claim(String, String, String, Instant, Instant)}). */
  public IdempotencyStore.Claim claim(String key, String deliveryId, String contentSha256, Instant at, Instant expiredBefore) {
    return IdempotencyStore.of(this).claim(key, deliveryId, contentSha256, at, expiredBefore);
  }

  /** Records the outcome of a claimed dispatch ({@link IdempotencyStore#complete}). */
  public boolean complete(String key, String status, String providerMessageId, String resultJson, Instant at) {
    return IdempotencyStore.of(this).complete(key, status, providerMessageId, resultJson, at);
  }

  /** Gives up a claim whose dispatch certainly did not happen ({@link IdempotencyStore#release}). */
  public boolean release(String key) {
    return IdempotencyStore.of(this).release(key);
  }

  public Optional<IdempotencyStore.IdempotencyEntry> idempotency(String key) {
    return IdempotencyStore.of(this).idempotency(key);
  }

  /** The delivery ids of the newest completed sends ({@link IdempotencyStore#newestDoneDeliveryIds}). */
  public List<String> newestDoneDeliveryIds(int limit) {
    return IdempotencyStore.of(this).newestDoneDeliveryIds(limit);
  }

  /**
   * Runs {@code work} in one write transaction (BEGIN IMMEDIATE … COMMIT): every change it makes
   * through this store, in any of its rooms, commits together with one sync to disk, or not at all
   * when it throws. For group commit (the sequence worker claims and completes its sends in batches).
   */
  public <T> T atomically(String what, java.util.function.Supplier<T> work) {
    synchronized (this) {
      Connection c = open(true);
      return transaction(what, c, work::get);
    }
  }

  /** Claims no run completed or released ({@link IdempotencyStore#inFlight}). */
  public List<IdempotencyStore.IdempotencyEntry> inFlight() {
    return IdempotencyStore.of(this).inFlight();
  }

  // ---------------------------------------------------------------------------------- plumbing

  /** A piece of SQL work; the store turns its SQLException into a sentence for the operator. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * The open connection, creating the file and migrating it on first use; null when
   * {@code create} is false and no store exists yet (reads then answer "nothing recorded").
   * For classes of this package that add tables through a new migration step.
   */
  synchronized Connection open(boolean create) {
    if (connection != null) {
      return connection;
    }
    if (!create && !Files.exists(file)) {
      return null;
    }
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
    Connection c = run("open", () -> connectWhenFree(file));
    try {
      migrate(c);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    connection = c;
    return c;
  }

  /**
   * {@link #connect}, tried again while another connection is setting the same new file up: SQLite
   * answers SQLITE_BUSY to {@code PRAGMA journal_mode=WAL} at once in that moment, without waiting
   * for the busy timeout, so the wait happens here, up to the same timeout.
   */
  private static Connection connectWhenFree(Path file) throws SQLException {
    long deadline = System.nanoTime() + BUSY_TIMEOUT_MS * 1_000_000L;
    for (int attempt = 1; ; attempt++) {
      try {
        return connect(file);
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

  /** SQLITE_BUSY or SQLITE_LOCKED (the primary result code, the low byte of an extended one: https://sqlite.org/rescode.html). */
  private static boolean busy(SQLException e) {
    int primary = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
    return primary == 5 || primary == 6;
  }

  private static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      // Switching to WAL needs a moment of exclusive access; the busy timeout above covers a race with another process.
      st.execute("PRAGMA journal_mode=WAL");
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  private void migrate(Connection c) {
    int latest = Migrations.latest();
    int seen = run("read the schema version", () -> userVersion(c));
    if (seen == latest) {
      return;
    }
    if (seen > latest) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "the state store " + file + " has schema version " + seen + " but this comms knows only up to " + latest
              + "; run a newer comms on this outbox");
    }
    transaction(
        "migrate the schema",
        c,
        () -> {
          // Re-read under the write lock: another process may have migrated since we looked.
          int v = userVersion(c);
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

  private static int userVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Runs {@code work} in BEGIN IMMEDIATE … COMMIT: the write lock is taken up front, so a
   * read-then-write can never fail halfway with SQLITE_BUSY the busy timeout cannot wait out.
   */
  <T> T transaction(String what, Connection c, Work<T> work) {
    if (inTransaction) {
      // Joins the caller's transaction, so a change and its audit row commit (or roll back) together.
      return run(what, work);
    }
    return run(
        what,
        () -> {
          try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            inTransaction = true;
            boolean ok = false;
            try {
              T result = work.run();
              st.execute("COMMIT");
              ok = true;
              return result;
            } finally {
              inTransaction = false;
              if (!ok) {
                try {
                  st.execute("ROLLBACK");
                } catch (SQLException ignored) {
                  // The transaction may already be gone; the original failure is what matters.
                }
              }
            }
          }
        });
  }

  <T> T run(String what, Work<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private CommsException failure(String what, SQLException e) {
    // SQLite's primary result codes (the low byte of an extended code): https://sqlite.org/rescode.html
    int primary = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
    if (busy(e)) {
      return new CommsException(
          ExitCode.INTERNAL,
          "the state store " + file + " stayed busy with another comms process for more than " + BUSY_TIMEOUT_MS / 1000
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

  static void require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw CommsException.usage("a " + what + " is required");
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing after a failure; the failure is already being reported.
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      closeQuietly(connection);
      connection = null;
    }
  }
}
