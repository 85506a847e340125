package comms.core.store;

import java.util.List;

/**
 * The store's schema, one numbered step at a time. PRAGMA user_version records the last step
 * applied; {@link Store} applies the missing ones in one transaction. Never edit a released step:
 * add the next number.
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
                  )""")),
          new Migration(
              2,
              "operators roster, append-only audit log, per-operator send caps",
              List.of(
                  """
                  CREATE TABLE operators (
                    email TEXT PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('operator', 'admin')),
                    daily_cap INTEGER NOT NULL CHECK (daily_cap >= 0),
                    per_minute_cap INTEGER NOT NULL CHECK (per_minute_cap >= 0),
                    active INTEGER NOT NULL CHECK (active IN (0, 1)),
                    source TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                  )""",
                  """
                  CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    occurred_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    action TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    resource_id TEXT,
                    payload TEXT NOT NULL CHECK (json_valid(payload)),
                    run_key TEXT,
                    os_user TEXT
                  )""",
                  "CREATE INDEX audit_log_owner ON audit_log (owner, id)",
                  "CREATE INDEX audit_log_action ON audit_log (action, id)",
                  // The audit trail is evidence: nobody edits or removes a row, not even comms itself.
                  """
                  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be changed'); END""",
                  """
                  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be removed'); END""",
                  // Units used per operator per bucket ('day:2026-11-18', 'minute:2026-11-18T17:04'), UTC.
                  """
                  CREATE TABLE send_caps (
                    operator TEXT NOT NULL,
                    bucket TEXT NOT NULL,
                    used INTEGER NOT NULL CHECK (used >= 0),
                    PRIMARY KEY (operator, bucket)
                  )""")));

  static int latest() {
    return ALL.get(ALL.size() - 1).version();
  }
}
