package comms.core.store;

import java.util.List;

/** The tables of migration step 12: phone consent per recipient, iMessage suppressions, the daemon's queue and its last polls. */
final class ImessageSchema {
  private ImessageSchema() {}

  static final List<String> STATEMENTS =
      List.of(
          // One row per recipient (their email): the number and the consent to text it by iMessage, with
          // the moment and the verbatim disclosure the person agreed to. Revocation keeps the row, flag off.
          """
          CREATE TABLE recipient_phones (
            email TEXT PRIMARY KEY,
            phone_e164 TEXT NOT NULL,
            phone_consent_for_imessage INTEGER NOT NULL CHECK (phone_consent_for_imessage IN (0, 1)),
            phone_consent_at TEXT,
            phone_consent_disclosure_text TEXT,
            registered_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_source TEXT
          )""",
          "CREATE INDEX recipient_phones_phone ON recipient_phones (phone_e164)",
          """
          CREATE TABLE imessage_suppressions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            phone_e164 TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT
          )""",
          "CREATE UNIQUE INDEX imessage_suppressions_active ON imessage_suppressions (phone_e164) WHERE removed_at IS NULL",
          // The daemon's queue: a stage send the worker let through every gate, waiting to be handed out
          // (pending), handed to a daemon under a lease (handed_out), reported (sent | failed), or handed
          // out and never reported before its lease ran out (unknown: it may have gone, it is not handed out again).
          """
          CREATE TABLE imessage_outbound (
            id TEXT PRIMARY KEY,
            delivery_id TEXT NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL,
            owner TEXT NOT NULL,
            phone_e164 TEXT NOT NULL,
            body TEXT NOT NULL,
            message_type TEXT NOT NULL,
            provider TEXT NOT NULL,
            mode TEXT NOT NULL,
            run_key TEXT,
            sequence_id TEXT,
            stage INTEGER,
            state TEXT NOT NULL CHECK (state IN ('pending', 'handed_out', 'sent', 'failed', 'unknown')),
            created_at TEXT NOT NULL,
            handed_out_at TEXT,
            lease_until TEXT,
            reported_at TEXT,
            daemon_id TEXT,
            error TEXT
          )""",
          "CREATE INDEX imessage_outbound_owner ON imessage_outbound (owner, state, created_at)",
          "CREATE INDEX imessage_outbound_state ON imessage_outbound (state, created_at)",
          """
          CREATE TABLE imessage_daemon_health (
            daemon_id TEXT PRIMARY KEY,
            last_seen_at TEXT NOT NULL
          )""");
}
