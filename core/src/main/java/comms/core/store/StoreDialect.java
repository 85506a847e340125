package comms.core.store;

import comms.core.CommsException;
import java.sql.Connection;
import java.sql.SQLException;

/** What differs between the two engines of the store: connecting, migrating, transactions, failures. The SQL of the repositories is shared. */
interface StoreDialect {
  /** "the state store PATH" or "the team store postgresql://HOST:PORT/DB", for sentences (never a password). */
  String describe();

  /** False when no store exists yet, so a read answers "nothing recorded" without creating one. */
  boolean exists();

  /** Whatever must exist before connecting (the state folder). */
  void prepare();

  Connection connect() throws SQLException;

  /** Applies the missing schema steps; safe when several processes do it at once. */
  void migrate(Store store, Connection c);

  int schemaVersion(Connection c) throws SQLException;

  /**
   * Starts a transaction acting for {@code operator} (null: the comms service): serializable, or
   * when {@code rowLocks} READ COMMITTED for work whose exclusivity comes from row locks (FOR UPDATE
   * SKIP LOCKED) and single-statement upserts instead.
   */
  void begin(Connection c, String operator, boolean rowLocks) throws SQLException;

  /** " FOR UPDATE OF ALIAS SKIP LOCKED" where the engine has row locks (PostgreSQL); "" on SQLite, whose write lock covers the whole file. */
  String skipLocked(String alias);

  void commit(Connection c) throws SQLException;

  /** Rolls back after a failure, quietly: the failure is what matters. */
  void rollback(Connection c);

  /** Sets the acting operator for statements outside a transaction (reads). */
  void actingAs(Connection c, String operator) throws SQLException;

  /** True when the failure means "run the whole transaction again" (a serialization conflict, a deadlock). */
  boolean retryable(SQLException e);

  CommsException failure(String what, SQLException e);
}
