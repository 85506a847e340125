package comms.core.store;

import java.util.List;

/**
 * Schema step 9 on PostgreSQL: the snippet library as {@link SnippetStore#SCHEMA} makes it on SQLite.
 * The FTS5 table is a generated tsvector column (name weight A, subject B, body D, the 'simple'
 * configuration: words as written, lower-cased) with a GIN index; SQLite's guard triggers are
 * plpgsql functions raising the same sentences.
 */
final class PgSnippetSchema {
  private PgSnippetSchema() {}

  static final List<String> STATEMENTS =
      List.of(
          """
          CREATE TABLE snippet_versions (
            id TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            parent_id TEXT,
            owner TEXT NOT NULL,
            author TEXT NOT NULL,
            name TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
            subject TEXT,
            body TEXT NOT NULL,
            variables_json TEXT NOT NULL CHECK (variables_json::jsonb IS NOT NULL),
            shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
            created_at TEXT NOT NULL,
            search_doc tsvector GENERATED ALWAYS AS (
              setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', COALESCE(subject, '')), 'B')
                || setweight(to_tsvector('simple', body), 'D')) STORED,
            PRIMARY KEY (id, version)
          )""",
          "CREATE INDEX snippet_versions_owner ON snippet_versions (owner, id)",
          "CREATE INDEX snippet_versions_search ON snippet_versions USING GIN (search_doc)",
          PgMigrations.refuse(
              "snippet_versions_no_update", "snippet_versions", "UPDATE", "snippet versions are immutable: an edit creates a new version"),
          PgMigrations.refuse(
              "snippet_versions_no_delete", "snippet_versions", "DELETE", "snippet versions are immutable: every version stays readable"),
          """
          CREATE OR REPLACE FUNCTION snippet_versions_rules() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF (NEW.version = 1 AND NEW.parent_id IS NOT NULL)
               OR (NEW.version > 1 AND (NEW.parent_id IS NULL OR NEW.parent_id <> NEW.id || '@' || (NEW.version - 1)
                 OR NOT EXISTS (SELECT 1 FROM snippet_versions p WHERE p.id = NEW.id AND p.version = NEW.version - 1))) THEN
              RAISE EXCEPTION 'a snippet version follows the one before it: parent_id must be ID@(VERSION-1), and version 1 has none'
                USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF NEW.version > 1 AND NEW.owner <> (SELECT owner FROM snippet_versions WHERE id = NEW.id AND version = 1) THEN
              RAISE EXCEPTION 'a snippet keeps its owner in every version' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
          END $$""",
          "CREATE TRIGGER snippet_versions_chain BEFORE INSERT ON snippet_versions FOR EACH ROW EXECUTE FUNCTION snippet_versions_rules()",
          """
          CREATE TABLE snippet_cosigns (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            cosigned_by TEXT NOT NULL,
            cosigned_at TEXT NOT NULL,
            PRIMARY KEY (id, version),
            FOREIGN KEY (id, version) REFERENCES snippet_versions (id, version)
          )""",
          """
          CREATE OR REPLACE FUNCTION snippet_cosigns_rules() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM snippet_versions v WHERE v.id = NEW.id AND v.version = NEW.version AND v.shared = 1)
               OR EXISTS (SELECT 1 FROM snippet_versions v WHERE v.id = NEW.id AND v.version = NEW.version AND v.author = NEW.cosigned_by) THEN
              RAISE EXCEPTION 'only a shared snippet version is co-signed, and never by its own author'
                USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
          END $$""",
          "CREATE TRIGGER snippet_cosigns_rules BEFORE INSERT ON snippet_cosigns FOR EACH ROW EXECUTE FUNCTION snippet_cosigns_rules()",
          PgMigrations.refuse("snippet_cosigns_no_update", "snippet_cosigns", "UPDATE", "a co-sign is evidence: it cannot be changed"),
          PgMigrations.refuse("snippet_cosigns_no_delete", "snippet_cosigns", "DELETE", "a co-sign is evidence: it cannot be removed"));
}
