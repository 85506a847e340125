package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state store: the SQLite file in the outbox (state/comms.db), or for a team a PostgreSQL
 * database ({@link StoreUrl}); opening and migrating it, transactions and the mapping of failures to
 * sentences. What differs between the two engines is in {@link SqliteDialect} and {@link PgDialect};
 * the repositories' SQL is the same on both. The tables live in their repositories (ConsentStore,
 * SuppressionStore, IdempotencyStore, Roster, AuditLog, SendCaps, SequenceStore, …). Opened on first use, so commands that never ask for state never touch it; a
 * read against a store that does not exist yet answers "nothing recorded" without creating it.
 *
 * <p>Several comms processes may use one file at once: WAL mode lets readers run beside a writer,
 * writes take the lock up front (BEGIN IMMEDIATE) and wait up to {@link #BUSY_TIMEOUT_MS} for it,
 * so no caller ever sees "database is locked" under normal contention.
 */
public final class Store implements AutoCloseable {
  public static final int BUSY_TIMEOUT_MS = 10_000;

  private final StoreDialect dialect;
  private final Path file;
  private Connection connection;
  private boolean inTransaction;
  private String operator;

  private Store(StoreDialect dialect, Path file) {
    this.dialect = Objects.requireNonNull(dialect);
    this.file = file;
  }

  /** A store on {@code file}; nothing is opened or created until the first call that needs it. */
  public static Store at(Path file) {
    return new Store(new SqliteDialect(Objects.requireNonNull(file)), file);
  }

  /** The store {@code url} names: the SQLite file it names, or a PostgreSQL database (opened on first use). */
  public static Store open(StoreUrl url) {
    return url.postgres() ? new Store(new PgDialect(url), null) : at(url.file());
  }

  /** The SQLite file; null for a PostgreSQL store. */
  public Path file() {
    return file;
  }

  /** True for a PostgreSQL store. */
  public boolean postgres() {
    return dialect instanceof PgDialect;
  }

  /** "the state store PATH" or "the team store postgresql://HOST:PORT/DB" (never a password), for sentences. */
  public String describe() {
    return dialect.describe();
  }

  /**
   * The operator on whose behalf this process acts (null: the comms service itself, which works for
   * every operator, such as the worker). On PostgreSQL every transaction sets it with
   * {@code set_config('app.operator', …, true)} and row-level security limits what it sees; SQLite
   * has no such thing and ignores it.
   */
  public synchronized Store actingAs(String operator) {
    this.operator = operator == null || operator.isBlank() ? null : operator;
    if (connection != null) {
      run("set the acting operator", () -> {
        dialect.actingAs(connection, this.operator);
        return null;
      });
    }
    return this;
  }

  String operator() {
    return operator;
  }

  StoreDialect dialect() {
    return dialect;
  }

  /** The schema step the store is at (0 for a store that does not exist yet). */
  public synchronized int schemaVersion() {
    Connection c = open(false);
    return c == null ? 0 : run("read the schema version", () -> dialect.schemaVersion(c));
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

  /** How many times a transaction PostgreSQL refused for a serialization conflict or a deadlock is run again. */
  static final int RETRIES = 60;

  /**
   * The open connection, creating the store and migrating it on first use; null when
   * {@code create} is false and no store exists yet (reads then answer "nothing recorded").
   * For classes of this package that add tables through a new migration step.
   */
  synchronized Connection open(boolean create) {
    if (connection != null) {
      return connection;
    }
    if (!create && !dialect.exists()) {
      return null;
    }
    dialect.prepare();
    Connection c = run("open", dialect::connect);
    try {
      dialect.migrate(this, c);
      if (operator != null) {
        dialect.actingAs(c, operator);
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw failure("set the acting operator", e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    connection = c;
    return c;
  }

  /**
   * Runs {@code work} as one transaction that sees no other writer's half-done work: on SQLite BEGIN
   * IMMEDIATE (the write lock up front, so a read-then-write never fails halfway), on PostgreSQL a
   * SERIALIZABLE transaction, run again from the start when the server refuses it for a conflict with
   * a concurrent one (so a read-then-write behaves as on SQLite, whatever the number of workers).
   * Inside it the acting operator is set for row-level security.
   */
  <T> T transaction(String what, Connection c, Work<T> work) {
    return transaction(what, c, false, work);
  }

  /**
   * As {@link #transaction(String, Connection, Work)}; with {@code rowLocks} on PostgreSQL READ
   * COMMITTED, for work made exclusive by SELECT … FOR UPDATE SKIP LOCKED and single-statement
   * upserts (the worker's claims), so workers on many hosts take different rows instead of conflicting.
   */
  <T> T transaction(String what, Connection c, boolean rowLocks, Work<T> work) {
    if (inTransaction) {
      // Joins the caller's transaction, so a change and its audit row commit (or roll back) together.
      return run(what, work);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(c, rowLocks, work);
      } catch (SQLException e) {
        if (!dialect.retryable(e) || attempt >= RETRIES) {
          throw failure(what, e);
        }
      } catch (CommsException e) {
        // A repository turned a conflict into its own sentence inside the work; the conflict still means run again.
        if (!(e.getCause() instanceof SQLException se) || !dialect.retryable(se) || attempt >= RETRIES) {
          throw e;
        }
      }
      backoff(attempt);
    }
  }

  private <T> T once(Connection c, boolean rowLocks, Work<T> work) throws SQLException {
    dialect.begin(c, operator, rowLocks);
    inTransaction = true;
    boolean ok = false;
    try {
      T result = work.run();
      dialect.commit(c);
      ok = true;
      return result;
    } finally {
      inTransaction = false;
      if (!ok) {
        dialect.rollback(c);
      }
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(Math.min(100, 1L + attempt * 3L) + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
      throw new CommsException(ExitCode.INTERNAL, "interrupted while waiting to run a store transaction again");
    }
  }

  <T> T run(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        // Outside a transaction a statement is its own transaction: one refused for a conflict is run again.
        if (inTransaction || !dialect.retryable(e) || attempt >= RETRIES) {
          throw failure(what, e);
        }
      }
      backoff(attempt);
    }
  }

  CommsException failure(String what, SQLException e) {
    return dialect.failure(what, e);
  }

  static void require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw CommsException.usage("a " + what + " is required");
    }
  }

  static void closeQuietly(Connection c) {
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
