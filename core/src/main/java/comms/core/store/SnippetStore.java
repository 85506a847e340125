package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Timestamps;
import comms.core.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The snippet library in the state store: one immutable row per version, each naming the version
 * before it ({@code parent_id}, ID@VERSION), a co-sign row per reviewed shared version, and an FTS5
 * index over name, subject and body. SQLite triggers refuse changing or removing a version or a
 * co-sign, a version that does not follow its parent, and a co-sign by the version's own author.
 */
public final class SnippetStore {
  /** The schema step that makes the library (a migration step of {@link Migrations}). */
  static final List<String> SCHEMA =
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
            variables_json TEXT NOT NULL CHECK (json_valid(variables_json)),
            shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
            created_at TEXT NOT NULL,
            PRIMARY KEY (id, version)
          )""",
          "CREATE INDEX snippet_versions_owner ON snippet_versions (owner, id)",
          // A version is evidence of what was approved and sent: an edit is a new row, never a change.
          """
          CREATE TRIGGER snippet_versions_no_update BEFORE UPDATE ON snippet_versions
          BEGIN SELECT RAISE(ABORT, 'snippet versions are immutable: an edit creates a new version'); END""",
          """
          CREATE TRIGGER snippet_versions_no_delete BEFORE DELETE ON snippet_versions
          BEGIN SELECT RAISE(ABORT, 'snippet versions are immutable: every version stays readable'); END""",
          """
          CREATE TRIGGER snippet_versions_chain BEFORE INSERT ON snippet_versions
          WHEN (NEW.version = 1 AND NEW.parent_id IS NOT NULL)
            OR (NEW.version > 1 AND (NEW.parent_id IS NULL OR NEW.parent_id <> NEW.id || '@' || (NEW.version - 1)
              OR NOT EXISTS (SELECT 1 FROM snippet_versions p WHERE p.id = NEW.id AND p.version = NEW.version - 1)))
          BEGIN SELECT RAISE(ABORT, 'a snippet version follows the one before it: parent_id must be ID@(VERSION-1), and version 1 has none'); END""",
          """
          CREATE TRIGGER snippet_versions_same_owner BEFORE INSERT ON snippet_versions
          WHEN NEW.version > 1 AND NEW.owner <> (SELECT owner FROM snippet_versions WHERE id = NEW.id AND version = 1)
          BEGIN SELECT RAISE(ABORT, 'a snippet keeps its owner in every version'); END""",
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
          CREATE TRIGGER snippet_cosigns_rules BEFORE INSERT ON snippet_cosigns
          WHEN NOT EXISTS (SELECT 1 FROM snippet_versions v WHERE v.id = NEW.id AND v.version = NEW.version AND v.shared = 1)
            OR EXISTS (SELECT 1 FROM snippet_versions v WHERE v.id = NEW.id AND v.version = NEW.version AND v.author = NEW.cosigned_by)
          BEGIN SELECT RAISE(ABORT, 'only a shared snippet version is co-signed, and never by its own author'); END""",
          """
          CREATE TRIGGER snippet_cosigns_no_update BEFORE UPDATE ON snippet_cosigns
          BEGIN SELECT RAISE(ABORT, 'a co-sign is evidence: it cannot be changed'); END""",
          """
          CREATE TRIGGER snippet_cosigns_no_delete BEFORE DELETE ON snippet_cosigns
          BEGIN SELECT RAISE(ABORT, 'a co-sign is evidence: it cannot be removed'); END""",
          "CREATE VIRTUAL TABLE snippet_search USING fts5(ref UNINDEXED, name, subject, body, tokenize = 'unicode61 remove_diacritics 2')",
          """
          CREATE TRIGGER snippet_versions_index AFTER INSERT ON snippet_versions
          BEGIN INSERT INTO snippet_search (ref, name, subject, body) VALUES (NEW.id || '@' || NEW.version, NEW.name, COALESCE(NEW.subject, ''), NEW.body); END""");

  /** Search weights for bm25: a hit in the name counts most, then the subject, then the body. */
  static final String BM25 = "bm25(snippet_search, 10.0, 5.0, 1.0)";

  private final Store store;

  private SnippetStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static SnippetStore of(Store store) {
    return new SnippetStore(store);
  }

  /** One version as stored, with its co-sign (null until co-signed). {@code parentId} is ID@VERSION of the one before, null for version 1. */
  public record SnippetVersion(
      String id,
      int version,
      String parentId,
      String owner,
      String author,
      String name,
      String channel,
      String subject,
      String body,
      List<String> variables,
      boolean shared,
      Instant createdAt,
      String cosignedBy,
      Instant cosignedAt) {
    public SnippetVersion {
      Objects.requireNonNull(id);
      Objects.requireNonNull(owner);
      Objects.requireNonNull(author);
      Objects.requireNonNull(name);
      Objects.requireNonNull(channel);
      Objects.requireNonNull(body);
      variables = List.copyOf(variables);
    }

    /** ID@VERSION: how a stage pins it. */
    public String ref() {
      return id + "@" + version;
    }
  }

  /** A search hit: the version and its bm25 score (lower is better). */
  public record Hit(SnippetVersion version, double score) {}

  /**
   * Adds a version (its co-sign fields are ignored). A version number someone else took first is
   * refused (exit 3) with nothing written, so two edits of one version never both land.
   */
  public SnippetVersion add(SnippetVersion v) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "add snippet version " + v.ref(),
          c,
          () -> {
            if (row(c, v.id(), v.version()).isPresent()) {
              throw new CommsException(
                  ExitCode.CONTRACT,
                  "snippet " + v.id() + " already has a version " + v.version() + ": someone wrote it first; nothing was changed."
                      + " Read it again (comms snippet.show " + v.id() + ") and retry");
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO snippet_versions (id, version, parent_id, owner, author, name, channel, subject, body, variables_json, shared, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              ps.setString(1, v.id());
              ps.setInt(2, v.version());
              ps.setString(3, v.parentId());
              ps.setString(4, v.owner());
              ps.setString(5, v.author());
              ps.setString(6, v.name());
              ps.setString(7, v.channel());
              ps.setString(8, v.subject());
              ps.setString(9, v.body());
              ps.setString(10, Json.write(v.variables()));
              ps.setInt(11, v.shared() ? 1 : 0);
              ps.setString(12, Timestamps.format(v.createdAt()));
              return ps.executeUpdate();
            }
          });
      return find(v.id(), v.version()).orElseThrow();
    }
  }

  /** Records {@code by}'s co-sign of a version; the triggers refuse a private version and its own author. */
  public SnippetVersion cosign(String id, int version, String by, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "co-sign snippet " + id + "@" + version,
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO snippet_cosigns (id, version, cosigned_by, cosigned_at) VALUES (?, ?, ?, ?) ON CONFLICT (id, version) DO NOTHING")) {
              ps.setString(1, id);
              ps.setInt(2, version);
              ps.setString(3, by);
              ps.setString(4, Timestamps.format(at));
              return ps.executeUpdate();
            }
          });
      return find(id, version).orElseThrow();
    }
  }

  public Optional<SnippetVersion> find(String id, int version) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run("read snippet " + id + "@" + version, () -> row(c, id, version));
    }
  }

  /** The newest version of snippet {@code id}. */
  public Optional<SnippetVersion> latest(String id) {
    List<SnippetVersion> h = history(id);
    return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
  }

  /** Every version of snippet {@code id}, oldest first (empty when there is no such snippet). */
  public List<SnippetVersion> history(String id) {
    return query("read the history of snippet " + id, SELECT + " WHERE v.id = ? ORDER BY v.version", id);
  }

  /** The newest version of every snippet, newest snippet first. */
  public List<SnippetVersion> latestAll() {
    return query("list snippets", SELECT + " WHERE " + LATEST + " ORDER BY v.created_at DESC, v.id");
  }

  /**
   * The newest versions matching an FTS5 query over name, subject and body, best first (bm25 with the
   * name weighted over the subject over the body), at most {@code limit}; only those {@code reader}
   * may read (their own and shared ones; null: every snippet, for an admin), so another operator's
   * private snippets never take a place in the ranking.
   */
  public List<Hit> search(String match, String reader, int limit) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "search snippets",
          () -> {
            try (PreparedStatement ps = c.prepareStatement(store.postgres() ? PG_SEARCH : SQLITE_SEARCH)) {
              ps.setString(1, store.postgres() ? tsQuery(match) : match);
              ps.setString(2, reader);
              ps.setString(3, reader);
              ps.setInt(4, limit);
              List<Hit> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(new Hit(version(rs), rs.getDouble(15)));
                }
              }
              return out;
            }
          });
    }
  }

  private static final String SQLITE_SEARCH =
      SnippetStore.COLUMNS_TEXT + ", " + BM25 + " AS score FROM snippet_search s JOIN snippet_versions v ON s.ref = v.id || '@' || v.version"
          + " LEFT JOIN snippet_cosigns k ON k.id = v.id AND k.version = v.version"
          + " WHERE snippet_search MATCH ? AND " + SnippetStore.LATEST_TEXT + " AND (? IS NULL OR v.owner = ? OR v.shared = 1)"
          + " ORDER BY score, v.id LIMIT ?";

  /**
   * PostgreSQL's form of the search: the generated tsvector (name weight A = 1.0, subject B = 0.5,
   * body D = 0.1, as bm25's 10/5/1), ts_rank negated so that, as with bm25, a lower score is better.
   */
  private static final String PG_SEARCH =
      "WITH q AS (SELECT to_tsquery('simple', ?) AS q) " + SnippetStore.COLUMNS_TEXT
          + ", -ts_rank('{0.1, 0.0, 0.5, 1.0}', v.search_doc, q.q) AS score FROM q, snippet_versions v"
          + " LEFT JOIN snippet_cosigns k ON k.id = v.id AND k.version = v.version"
          + " WHERE v.search_doc @@ q.q AND " + SnippetStore.LATEST_TEXT + " AND (CAST(? AS TEXT) IS NULL OR v.owner = ? OR v.shared = 1)"
          + " ORDER BY score, v.id LIMIT ?";

  /** The FTS5 query SnippetService writes ("word"* "word"*: every word, each a prefix) as a tsquery: 'word':* & 'word':*. */
  static String tsQuery(String fts) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"(\\*?)").matcher(fts);
    List<String> terms = new ArrayList<>();
    while (m.find()) {
      String w = m.group(1).replace("'", "''").replace("\\", "");
      if (!w.isBlank()) {
        terms.add("'" + w + "'" + (m.group(2).isEmpty() ? "" : ":*"));
      }
    }
    if (terms.isEmpty()) {
      throw CommsException.usage("give at least one word to search for (letters or digits), such as: comms snippet.search renewal");
    }
    return String.join(" & ", terms);
  }

  private static final String COLUMNS_TEXT =
      "SELECT v.id, v.version, v.parent_id, v.owner, v.author, v.name, v.channel, v.subject, v.body, v.variables_json, v.shared, v.created_at,"
          + " k.cosigned_by, k.cosigned_at";

  private static final String LATEST_TEXT = "v.version = (SELECT MAX(version) FROM snippet_versions x WHERE x.id = v.id)";

  private static final String COLUMNS =
      "SELECT v.id, v.version, v.parent_id, v.owner, v.author, v.name, v.channel, v.subject, v.body, v.variables_json, v.shared, v.created_at,"
          + " k.cosigned_by, k.cosigned_at";

  private static final String SELECT = COLUMNS + " FROM snippet_versions v LEFT JOIN snippet_cosigns k ON k.id = v.id AND k.version = v.version";

  private static final String LATEST = "v.version = (SELECT MAX(version) FROM snippet_versions x WHERE x.id = v.id)";

  private List<SnippetVersion> query(String what, String sql, String... args) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          what,
          () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
              }
              List<SnippetVersion> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(version(rs));
                }
              }
              return out;
            }
          });
    }
  }

  private static Optional<SnippetVersion> row(Connection c, String id, int version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE v.id = ? AND v.version = ?")) {
      ps.setString(1, id);
      ps.setInt(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(version(rs)) : Optional.empty();
      }
    }
  }

  private static SnippetVersion version(ResultSet rs) throws SQLException {
    List<String> vars = new ArrayList<>();
    for (Object o : (List<?>) Json.parse(rs.getString(10))) {
      vars.add(String.valueOf(o));
    }
    return new SnippetVersion(
        rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
        rs.getString(9), vars, rs.getInt(11) == 1, Timestamps.parse(rs.getString(12)), rs.getString(13), SequenceStore.instant(rs.getString(14)));
  }
}
