package comms.core.store;

import java.util.List;

/**
 * The store's schema, one numbered step at a time. PRAGMA user_version records the last step
 * applied; {@link Store} applies the missing ones in one transaction. Never edit a released step:
 * add the next number (issue 8's operators and audit_log arrive as step 2).
 */
final class Migrations {
  private Migrations() {}

  /** One schema step: its number (1, 2, …, in order) and the SQL statements that make it. */
  record Migration(int version, String description, List<String> statements) {}

  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "consent history, suppressions, idempotency keys",
              List.of(
                  """
                  CREATE TABLE consent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    channel TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    state TEXT NOT NULL,
                    source TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                  )""",
                  "CREATE INDEX consent_latest ON consent (channel, recipient, recorded_at, id)",
                  // Consent is evidence: a change is a new row, never an edit.
                  """
                  CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
                  BEGIN SELECT RAISE(ABORT, 'consent history is append-only: record a new state instead'); END""",
                  """
                  CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
                  BEGIN SELECT RAISE(ABORT, 'consent history is append-only: record a new state instead'); END""",
                  """
                  CREATE TABLE suppression (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('address', 'phone', 'domain')),
                    value TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    removed_at TEXT
                  )""",
                  "CREATE UNIQUE INDEX suppression_active ON suppression (kind, value) WHERE removed_at IS NULL",
                  """
                  CREATE TABLE idempotency (
                    key TEXT PRIMARY KEY,
                    delivery_id TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
                    status TEXT,
                    provider_message_id TEXT,
                    result_json TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                  )""")));

  static int latest() {
    return ALL.get(ALL.size() - 1).version();
  }
}
