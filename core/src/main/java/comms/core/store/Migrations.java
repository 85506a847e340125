package comms.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The store's schema, one numbered step at a time. PRAGMA user_version records the last step
 * applied; {@link Store} applies the missing ones in one transaction. Never edit a released step:
 * add the next number.
 */
final class Migrations {
  private Migrations() {}

  /** Work on the rows themselves that SQL alone cannot do (it runs after the step's statements, in the same transaction). */
  @FunctionalInterface
  interface RowWork {
    void run(Connection c) throws SQLException;
  }

  /** One schema step: its number (1, 2, …, in order), the SQL statements that make it, and any row work after them. */
  record Migration(int version, String description, List<String> statements, RowWork rows) {
    Migration(int version, String description, List<String> statements) {
      this(version, description, statements, c -> {});
    }
  }

  /** The consent table's update guard, as step 1 made it; step 6 lifts it for its rewrite and puts it back. */
  static final String CONSENT_NO_UPDATE =
      """
      CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent
      BEGIN SELECT RAISE(ABORT, 'consent history is append-only: record a new state instead'); END""";

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
                  CONSENT_NO_UPDATE,
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
                  )""")),
          new Migration(
              3,
              "sequences, enrollments, stage sends and approvals",
              List.of(
                  """
                  CREATE TABLE sequences (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    definition_json TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('draft', 'active', 'paused', 'stopped', 'completed')),
                    state_version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    launched_at TEXT
                  )""",
                  "CREATE INDEX sequences_owner ON sequences (owner, created_at)",
                  // One row per recipient of a sequence. recipient is the canonical identity (the email,
                  // else the phone); next_due_at is null until launch.
                  """
                  CREATE TABLE enrollments (
                    id TEXT PRIMARY KEY,
                    sequence_id TEXT NOT NULL REFERENCES sequences (id),
                    owner TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    email TEXT,
                    phone TEXT,
                    cc TEXT,
                    vars_json TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'replied', 'bounced', 'opted_out', 'completed', 'stopped')),
                    next_stage INTEGER NOT NULL,
                    next_due_at TEXT,
                    paused_until TEXT,
                    reason TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                  )""",
                  "CREATE UNIQUE INDEX enrollments_one_active ON enrollments (owner, recipient) WHERE state IN ('active', 'paused')",
                  "CREATE INDEX enrollments_due ON enrollments (next_due_at) WHERE state = 'active'",
                  "CREATE INDEX enrollments_paused ON enrollments (paused_until) WHERE state = 'paused'",
                  "CREATE INDEX enrollments_sequence ON enrollments (sequence_id, state)",
                  // One row per (enrollment, stage) ever attempted: the primary key is what makes a stage go once.
                  """
                  CREATE TABLE stage_sends (
                    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
                    stage INTEGER NOT NULL,
                    sequence_id TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped', 'blocked', 'failed', 'dead_letter', 'unknown')),
                    claimed_by TEXT,
                    claim_expires_at TEXT,
                    delivery_id TEXT,
                    idempotency_key TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error_message TEXT,
                    due_at TEXT NOT NULL,
                    finished_at TEXT,
                    PRIMARY KEY (enrollment_id, stage)
                  )""",
                  "CREATE INDEX stage_sends_sequence ON stage_sends (sequence_id, state)",
                  // Something a person did that lets a launch or an add pass its recipient-count gate.
                  """
                  CREATE TABLE approvals (
                    id TEXT PRIMARY KEY,
                    sequence_id TEXT NOT NULL REFERENCES sequences (id),
                    kind TEXT NOT NULL CHECK (kind IN ('confirm', 'multipov', 'token')),
                    approver TEXT,
                    reviewers_json TEXT NOT NULL DEFAULT '[]',
                    recipient_set_hash TEXT NOT NULL,
                    token_sha256 TEXT,
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    used_at TEXT
                  )""",
                  "CREATE INDEX approvals_sequence ON approvals (sequence_id, kind)")),
          new Migration(
              4,
              "idempotency keys bound to their content",
              List.of(
                  // SHA-256 of what the key sent (channel, recipient, subject, body); null on rows from before.
                  "ALTER TABLE idempotency ADD COLUMN content_sha256 TEXT",
                  "CREATE INDEX idempotency_in_flight ON idempotency (delivery_id) WHERE state = 'in_flight'")),
          new Migration(
              5,
              "the send-cap unit each unfinished send took",
              List.of(
                  // One row per send that took a unit of its operator's caps and has not finished: a later run
                  // that re-sends the same delivery after a crash reuses that unit instead of taking another.
                  """
                  CREATE TABLE cap_units (
                    delivery_id TEXT PRIMARY KEY,
                    operator TEXT NOT NULL,
                    taken_at TEXT NOT NULL
                  )""")),
          new Migration(
              6,
              "one identity per address: consent and suppression rows in canonical form; inbound messages flagged for review",
              List.of(
                  // An inbound text that might be an opt-out but is not clearly one, kept for a person to judge.
                  """
                  CREATE TABLE inbound_review (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    channel TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    body TEXT NOT NULL,
                    matched TEXT,
                    received_at TEXT NOT NULL,
                    run_key TEXT
                  )""",
                  "CREATE INDEX inbound_review_recipient ON inbound_review (recipient, id)"),
              CanonicalRows::rewrite),
          new Migration(
              7,
              "the Message-IDs of email stage sends, each owner's reply watch, and the inbound mail replies.sync read",
              List.of(
                  // message_id without its angle brackets, lower-cased: how In-Reply-To and References are compared.
                  """
                  CREATE TABLE sent_messages (
                    message_id TEXT PRIMARY KEY,
                    delivery_id TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    sequence_id TEXT,
                    stage INTEGER,
                    subject_sha256 TEXT,
                    sent_at TEXT NOT NULL
                  )""",
                  "CREATE INDEX sent_messages_recipient ON sent_messages (owner, recipient)",
                  // One row per owner whose inbox replies.sync reads: where the last sync stopped and how it went.
                  """
                  CREATE TABLE reply_watch (
                    owner TEXT PRIMARY KEY,
                    source TEXT NOT NULL,
                    cursor TEXT,
                    delta_link TEXT,
                    resync_from TEXT,
                    last_attempt_at TEXT,
                    last_success_at TEXT,
                    last_error TEXT,
                    incident_since TEXT,
                    alerted_at TEXT
                  )""",
                  // Every inbound message a sync read, once per (owner, mailbox id), with what it was taken for and what it did.
                  """
                  CREATE TABLE inbound_mail (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    owner TEXT NOT NULL,
                    source_id TEXT NOT NULL,
                    sender TEXT,
                    class TEXT NOT NULL,
                    detail TEXT,
                    matched_message_id TEXT,
                    match_reason TEXT,
                    action TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    processed_at TEXT NOT NULL,
                    UNIQUE (owner, source_id)
                  )""",
                  "CREATE INDEX inbound_mail_sender ON inbound_mail (owner, sender)")),
          new Migration(
              8,
              "engagement events from provider webhooks, and the webhooks refused",
              List.of(
                  // One row per verified webhook message: svix_id is the primary key, so a replay is applied once.
                  // enrollment_id/sequence_id/stage name the stage send whose provider_message_id the event carries.
                  // counts is 1 for what no_engagement counts (a click, a human-shaped open); ignored_by names the
                  // rule that discounted an open. No address, IP or link is kept.
                  """
                  CREATE TABLE engagement_events (
                    svix_id TEXT PRIMARY KEY,
                    type TEXT NOT NULL,
                    provider_message_id TEXT,
                    enrollment_id TEXT,
                    sequence_id TEXT,
                    stage INTEGER,
                    occurred_at TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    counts INTEGER NOT NULL CHECK (counts IN (0, 1)),
                    ignored_by TEXT,
                    bounce_type TEXT,
                    effect TEXT
                  )""",
                  "CREATE INDEX engagement_events_enrollment ON engagement_events (enrollment_id, counts)",
                  "CREATE INDEX engagement_events_message ON engagement_events (provider_message_id, type)",
                  "CREATE INDEX engagement_events_sequence ON engagement_events (sequence_id, type)",
                  // A webhook not applied: a bad or stale signature, or a signed body comms cannot read.
                  """
                  CREATE TABLE webhook_refusals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    svix_id TEXT,
                    reason TEXT NOT NULL,
                    received_at TEXT NOT NULL
                  )""")),
          new Migration(
              9,
              "snippets: immutable versions chained by parent_id, co-signs, and their full-text index",
              SnippetStore.SCHEMA),
          new Migration(
              10,
              "provider send rates: the next free slot of each provider account, number or mailbox",
              List.of(
                  """
                  CREATE TABLE send_pacing (
                    scope TEXT PRIMARY KEY,
                    next_at TEXT NOT NULL
                  )""")),
          new Migration(
              11,
              "Gmail watches: each Gmail owner's users.watch (Pub/Sub topic, historyId, expiration)",
              List.of(
                  // One row per Gmail owner: the topic the watch publishes to, the historyId users.watch
                  // answered (where history reading starts when nothing was read yet), and its expiration.
                  """
                  CREATE TABLE gmail_watch (
                    owner TEXT PRIMARY KEY,
                    topic TEXT NOT NULL,
                    history_id TEXT NOT NULL,
                    expiration TEXT NOT NULL,
                    watched_at TEXT NOT NULL
                  )""")),
          new Migration(
              12,
              "iMessage: recipients' phone consent, iMessage suppressions, the daemon's outbound queue and its health",
              ImessageSchema.STATEMENTS),
          new Migration(
              13,
              "the provider's answer to an in-flight dispatch, in the shared store before the delivery-log line",
              List.of(
                  // JSON {delivery_id, status, provider_message_id, attempts, message_id}: a run on another host, whose
                  // delivery log this one cannot read, settles the claim from it instead of sending again.
                  "ALTER TABLE idempotency ADD COLUMN dispatched_json TEXT")));

  static int latest() {
    return ALL.get(ALL.size() - 1).version();
  }
}
