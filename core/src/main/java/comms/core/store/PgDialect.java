package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A team's store on a PostgreSQL server. Writes run SERIALIZABLE (the server refuses one that
 * conflicts with a concurrent one and {@link Store} runs it again), so every repository's
 * read-then-write means what it means on SQLite under BEGIN IMMEDIATE, without one global lock.
 * Reads outside a transaction run READ COMMITTED. Migrations take a transaction-scoped advisory lock,
 * so processes starting at once apply each step once.
 */
final class PgDialect implements StoreDialect {
  /** The advisory lock key (two ints) every process migrating this database takes first. */
  static final int LOCK_CLASS = 0x636f6d6d; // "comm"

  static final int LOCK_SCHEMA = 21;

  private final StoreUrl url;

  PgDialect(StoreUrl url) {
    this.url = url;
  }

  @Override
  public String describe() {
    return "the team store " + url.display();
  }

  @Override
  public boolean exists() {
    // A server is there or it is not; an empty database is migrated on first use, reads included.
    return true;
  }

  @Override
  public void prepare() {}

  @Override
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("ApplicationName", "comms");
    p.setProperty("connectTimeout", "10");
    Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
    c.setAutoCommit(true);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return c;
  }

  @Override
  public void migrate(Store store, Connection c) {
    store.run(
        "migrate the schema",
        () -> {
          c.setAutoCommit(false);
          boolean ok = false;
          try (Statement st = c.createStatement()) {
            // READ COMMITTED: after waiting for the lock, the next statement sees what the holder committed.
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", " + LOCK_SCHEMA + ")");
            st.execute("CREATE TABLE IF NOT EXISTS comms_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
            int v = schemaVersion(c);
            int latest = PgMigrations.latest();
            if (v > latest) {
              throw new CommsException(
                  ExitCode.CONTRACT,
                  describe() + " has schema version " + v + " but this comms knows only up to " + latest + "; run a newer comms against it");
            }
            if (v < latest) {
              for (PgMigrations.Step m : PgMigrations.ALL) {
                if (m.version() <= v) {
                  continue;
                }
                for (String sql : m.statements()) {
                  st.execute(sql);
                }
              }
              st.execute(
                  "INSERT INTO comms_schema (id, version) VALUES (1, " + latest + ") ON CONFLICT (id) DO UPDATE SET version = excluded.version");
            }
            if (v < latest || !PgPolicies.current(c)) {
              PgPolicies.apply(c);
            }
            c.commit();
            ok = true;
          } finally {
            if (!ok) {
              rollback(c);
            }
            c.setAutoCommit(true);
          }
          return null;
        });
  }

  @Override
  public int schemaVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CASE WHEN to_regclass('comms_schema') IS NULL THEN 0 ELSE (SELECT COALESCE(MAX(version), 0) FROM comms_schema) END")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      // to_regclass answers null for a missing table, but the subquery is planned anyway: a missing table is step 0.
      if ("42P01".equals(e.getSQLState())) {
        if (!c.getAutoCommit()) {
          throw e;
        }
        return 0;
      }
      throw e;
    }
  }

  @Override
  public String skipLocked(String alias) {
    return " FOR UPDATE OF " + alias + " SKIP LOCKED";
  }

  @Override
  public void begin(Connection c, String operator, boolean rowLocks) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute(rowLocks ? "SET TRANSACTION ISOLATION LEVEL READ COMMITTED" : "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.operator', ?, true)")) {
      ps.setString(1, operator == null ? "" : operator);
      ps.execute();
    }
  }

  @Override
  public void commit(Connection c) throws SQLException {
    try {
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public void rollback(Connection c) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection may be gone; the original failure is what matters.
    }
  }

  @Override
  public void actingAs(Connection c, String operator) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.operator', ?, false)")) {
      ps.setString(1, operator == null ? "" : operator);
      ps.execute();
    }
  }

  @Override
  public boolean retryable(SQLException e) {
    String s = e.getSQLState();
    return "40001".equals(s) || "40P01".equals(s);
  }

  @Override
  public CommsException failure(String what, SQLException e) {
    String s = e.getSQLState() == null ? "" : e.getSQLState();
    String where = describe();
    if (s.startsWith("08")) {
      return new CommsException(
          ExitCode.CONTRACT,
          "cannot reach " + where + " to " + what + " (" + e.getMessage() + "); check the store URL and that the server runs, then run again",
          e);
    }
    if (s.startsWith("28")) {
      return new CommsException(
          ExitCode.CONTRACT,
          where + " refused the login of user " + url.user() + " (" + e.getMessage()
              + "); set the role's password in the environment variable the store contract names (password_env), then run again",
          e);
    }
    if (s.equals("3D000")) {
      return new CommsException(ExitCode.CONTRACT, where + " has no such database (" + e.getMessage() + "); create it (createdb) or fix the URL", e);
    }
    if (s.equals("42501")) {
      return new CommsException(
          ExitCode.CONTRACT, where + " does not allow user " + url.user() + " to " + what + " (" + e.getMessage() + "); ask the store's admin for the grant",
          e);
    }
    if (retryable(e)) {
      return new CommsException(
          ExitCode.INTERNAL, where + " kept refusing to " + what + " for conflicts with other comms processes; nothing was changed, run again", e);
    }
    return new CommsException(ExitCode.INTERNAL, where + " failed to " + what + ": " + e.getMessage(), e);
  }
}
