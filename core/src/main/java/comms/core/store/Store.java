package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The SQLite state file in the outbox (state/comms.db): consent history, suppressions and
 * idempotency keys. Opened on first use, so commands that never ask for state never touch it; a
 * read against a store that does not exist yet answers "nothing recorded" without creating it.
 *
 * <p>Several comms processes may use one file at once: WAL mode lets readers run beside a writer,
 * writes take the lock up front (BEGIN IMMEDIATE) and wait up to {@link #BUSY_TIMEOUT_MS} for it,
 * so no caller ever sees "database is locked" under normal contention.
 */
public final class Store implements AutoCloseable {
  public static final int BUSY_TIMEOUT_MS = 10_000;

  /** The suppression kinds: one email address, one phone number, or a whole email domain. */
  public static final List<String> SUPPRESSION_KINDS = List.of("address", "phone", "domain");

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

  // ---------------------------------------------------------------------------------- consent

  /** One consent record: a recipient's state on a channel, who said so, and when. */
  public record ConsentRecord(String channel, String recipient, String state, String source, Instant recordedAt) {}

  /** Adds a record; earlier ones stay as history. */
  public synchronized void recordConsent(String channel, String recipient, String state, String source, Instant at) {
    require(channel, "channel");
    require(recipient, "recipient");
    require(state, "state");
    require(source, "source");
    Connection c = open(true);
    run(
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

  /** The latest recorded state (latest time, then latest written), if any. */
  public synchronized Optional<String> consentState(String channel, String recipient) {
    List<ConsentRecord> h = consent(channel, recipient, 1);
    return h.isEmpty() ? Optional.empty() : Optional.of(h.get(0).state());
  }

  /** Every record for the recipient on the channel, newest first. */
  public synchronized List<ConsentRecord> consentHistory(String channel, String recipient) {
    return consent(channel, recipient, Integer.MAX_VALUE);
  }

  private List<ConsentRecord> consent(String channel, String recipient, int limit) {
    Connection c = open(false);
    if (c == null) {
      return List.of();
    }
    return run(
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

  // ---------------------------------------------------------------------------------- suppression

  /** One suppression; removedAt is null while it is in force. */
  public record Suppression(String kind, String value, String reason, Instant createdAt, Instant removedAt) {}

  /** Suppresses an address, phone or domain; false when the same one is already in force. */
  public synchronized boolean addSuppression(String kind, String value, String reason, Instant at) {
    String v = suppressionValue(kind, value);
    require(reason, "reason");
    Connection c = open(true);
    return run(
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

  /** Lifts a suppression (kept as history with removed_at); false when none was in force. */
  public synchronized boolean removeSuppression(String kind, String value, Instant at) {
    String v = suppressionValue(kind, value);
    Connection c = open(false);
    if (c == null) {
      return false;
    }
    return run(
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

  /** The suppressions in force, by kind and value. */
  public synchronized List<Suppression> listSuppressions() {
    return listSuppressions(false);
  }

  /** The suppressions in force, or every one ever made (lifted ones with removedAt). */
  public synchronized List<Suppression> listSuppressions(boolean includeRemoved) {
    Connection c = open(false);
    if (c == null) {
      return List.of();
    }
    return run(
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

  /**
   * Why a recipient must not be contacted, if it is suppressed: its exact address or phone number,
   * or its email domain or any parent domain (a suppressed lakeside.example covers
   * billing.lakeside.example). The exact address wins over a domain, a nearer domain over a parent.
   */
  public synchronized Optional<String> suppressionMatch(String channel, String recipient) {
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
    Connection c = open(false);
    if (c == null) {
      return Optional.empty();
    }
    return run(
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

  private static String suppressionValue(String kind, String value) {
    if (!SUPPRESSION_KINDS.contains(kind)) {
      throw CommsException.usage("suppression kind '" + kind + "' is not one of " + String.join(", ", SUPPRESSION_KINDS));
    }
    require(value, kind);
    String v = kind.equals("domain") ? Recipients.domain(value) : Recipients.normalize(value);
    if (kind.equals("address") && !Recipients.isEmail(v)) {
      throw CommsException.usage("'" + value + "' is not an email address; use --domain for a whole domain");
    }
    if (kind.equals("domain") && (v.isEmpty() || v.contains("@"))) {
      throw CommsException.usage("'" + value + "' is not a domain; give it without the name before '@', e.g. lakeside.example");
    }
    return v;
  }

  // ---------------------------------------------------------------------------------- idempotency

  /**
   * The idempotency row of a key: in_flight from claim until complete, then done with the result.
   * {@code contentSha256} is the hash of what the key sends (null on rows claimed before keys were
   * bound to their content).
   */
  public record IdempotencyEntry(
      String key,
      String deliveryId,
      String state,
      String status,
      String providerMessageId,
      String resultJson,
      Instant createdAt,
      Instant updatedAt,
      String contentSha256) {
    public boolean done() {
      return "done".equals(state);
    }

    /** Done, and completed before {@code before}: the key is free for a new message. */
    public boolean expired(Instant before) {
      return done() && before != null && updatedAt.isBefore(before);
    }

    /** Whether {@code sha256} is what this key sent (unknown on rows from before: taken as the same). */
    public boolean sameContent(String sha256) {
      return contentSha256 == null || sha256 == null || contentSha256.equals(sha256);
    }
  }

  /** What {@link #claim} found: the key is now ours, it was already done, or a run is (or died) mid-dispatch. */
  public sealed interface Claim {
    /** The key is claimed for this delivery: dispatch, then {@link #complete} or {@link #release}. */
    record Claimed(String key, String deliveryId) implements Claim {}

    /** Already sent: report this earlier result and send nothing. */
    record Done(IdempotencyEntry entry) implements Claim {}

    /** Another run claimed it and has not finished: it is dispatching now or died mid-dispatch; reconcile, do not send. */
    record InFlight(IdempotencyEntry entry) implements Claim {}
  }

  /** Atomically claims the key (an in_flight row) or returns what already holds it; keys never expire. */
  public synchronized Claim claim(String key, String deliveryId, Instant at) {
    return claim(key, deliveryId, null, at, null);
  }

  /**
   * Atomically claims the key for a message whose content hashes to {@code contentSha256}, or returns
   * what already holds it. A done key completed before {@code expiredBefore} (null: never) has had
   * its window: it is claimed afresh for the new message, as if it had never been used.
   */
  public synchronized Claim claim(String key, String deliveryId, String contentSha256, Instant at, Instant expiredBefore) {
    require(key, "idempotency key");
    require(deliveryId, "delivery id");
    Connection c = open(true);
    return transaction(
        "claim idempotency key",
        c,
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO idempotency (key, delivery_id, state, content_sha256, created_at, updated_at) VALUES (?, ?, 'in_flight', ?, ?, ?)"
                      + " ON CONFLICT (key) DO UPDATE SET delivery_id = excluded.delivery_id, state = 'in_flight', status = NULL,"
                      + " provider_message_id = NULL, result_json = NULL, content_sha256 = excluded.content_sha256,"
                      + " created_at = excluded.created_at, updated_at = excluded.updated_at"
                      + " WHERE idempotency.state = 'done' AND idempotency.updated_at < ?")) {
            String t = Timestamps.format(at);
            ps.setString(1, key);
            ps.setString(2, deliveryId);
            ps.setString(3, contentSha256);
            ps.setString(4, t);
            ps.setString(5, t);
            // Timestamps are fixed-width text, so they compare in time order; nothing is before "".
            ps.setString(6, expiredBefore == null ? "" : Timestamps.format(expiredBefore));
            if (ps.executeUpdate() == 1) {
              return new Claim.Claimed(key, deliveryId);
            }
          }
          IdempotencyEntry e = entry(c, key).orElseThrow(() -> new SQLException("idempotency row vanished inside a transaction"));
          return e.done() ? new Claim.Done(e) : new Claim.InFlight(e);
        });
  }

  /**
   * Records the outcome of a claimed dispatch; the key is then done for good. Returns false (and
   * changes nothing) when the key was already done, so an earlier result is never overwritten.
   */
  public synchronized boolean complete(String key, String status, String providerMessageId, String resultJson, Instant at) {
    require(key, "idempotency key");
    require(status, "status");
    Connection c = open(true);
    return run(
        "complete idempotency key",
        () -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO idempotency (key, delivery_id, state, status, provider_message_id, result_json, created_at, updated_at)"
                      + " VALUES (?, '', 'done', ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (key) DO UPDATE SET state = 'done', status = excluded.status,"
                      + " provider_message_id = excluded.provider_message_id, result_json = excluded.result_json,"
                      + " updated_at = excluded.updated_at WHERE idempotency.state = 'in_flight'")) {
            String t = Timestamps.format(at);
            ps.setString(1, key);
            ps.setString(2, status);
            ps.setString(3, providerMessageId);
            ps.setString(4, resultJson);
            ps.setString(5, t);
            ps.setString(6, t);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * Gives up a claim when the dispatch certainly did not happen (declined, blocked, failed before
   * any provider call), so a later run may send. False when there was no in_flight claim.
   */
  public synchronized boolean release(String key) {
    Connection c = open(false);
    if (c == null) {
      return false;
    }
    return run(
        "release idempotency key",
        () -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency WHERE key = ? AND state = 'in_flight'")) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
          }
        });
  }

  public synchronized Optional<IdempotencyEntry> idempotency(String key) {
    Connection c = open(false);
    if (c == null) {
      return Optional.empty();
    }
    return run("read idempotency key", () -> entry(c, key));
  }

  /**
   * The delivery ids of the newest {@code limit} completed sends (by completion time, newest first):
   * each must have its line in the delivery log, which is written before a send is completed here.
   */
  public synchronized List<String> newestDoneDeliveryIds(int limit) {
    Connection c = open(false);
    if (c == null) {
      return List.of();
    }
    return run(
        "list completed idempotency keys",
        () -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT delivery_id FROM idempotency WHERE state = 'done' AND delivery_id <> '' ORDER BY updated_at DESC, key LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  /** Claims no run completed or released: what a reconcile pass after a crash looks at. */
  public synchronized List<IdempotencyEntry> inFlight() {
    Connection c = open(false);
    if (c == null) {
      return List.of();
    }
    return run(
        "list in-flight idempotency keys",
        () -> {
          List<IdempotencyEntry> out = new ArrayList<>();
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery(SELECT_ENTRY + " WHERE state = 'in_flight' ORDER BY created_at, key")) {
            while (rs.next()) {
              out.add(entry(rs));
            }
          }
          return out;
        });
  }

  private static final String SELECT_ENTRY =
      "SELECT key, delivery_id, state, status, provider_message_id, result_json, created_at, updated_at, content_sha256 FROM idempotency";

  private static Optional<IdempotencyEntry> entry(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_ENTRY + " WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static IdempotencyEntry entry(ResultSet rs) throws SQLException {
    return new IdempotencyEntry(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        Instant.parse(rs.getString(7)), Instant.parse(rs.getString(8)), rs.getString(9));
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

  private static void require(String v, String what) {
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
