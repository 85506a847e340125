package comms.cli.commands.snippet;

import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.store.SnippetStore;
import comms.core.store.SnippetStore.SnippetVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The views of snippets: one version with its history, a list, search hits. */
public final class SnippetViews {
  private SnippetViews() {}

  /** The stable fields of a version: what create, edit and show answer. */
  static Map<String, Object> fields(SnippetVersion v, boolean stored) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("version", v.version());
    m.put("parent_id", v.parentId());
    m.put("name", v.name());
    m.put("channel", v.channel());
    m.put("shared", v.shared());
    m.put("variables", v.variables());
    m.put("cosigned_by", v.cosignedBy());
    m.put("cosigned_at", v.cosignedAt() == null ? null : v.cosignedAt().toString());
    m.put("owner", v.owner());
    m.put("author", v.author());
    m.put("created_at", stored ? v.createdAt().toString() : null);
    m.put("ref", v.ref());
    return m;
  }

  static String cosign(SnippetVersion v) {
    if (!v.shared()) {
      return "not needed (private)";
    }
    return v.cosignedBy() == null ? "needed: not co-signed yet" : v.cosignedBy() + " at " + v.cosignedAt();
  }

  /** One version, its text and (for show) the chain it belongs to. {@code stored} false: a dry run's version, not written. */
  record VersionView(SnippetVersion v, List<SnippetVersion> history, boolean stored, String note) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = fields(v, stored);
      m.put("stored", stored);
      m.put("subject", v.subject());
      m.put("body", v.body());
      if (history != null) {
        m.put("history", history.stream().map(h -> {
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("version", h.version());
          x.put("parent_id", h.parentId());
          x.put("author", h.author());
          x.put("created_at", h.createdAt().toString());
          x.put("shared", h.shared());
          x.put("cosigned_by", h.cosignedBy());
          return x;
        }).toList());
      }
      m.put("note", note);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("snippet " + v.ref() + (stored ? "" : " (dry run: not written)"));
      p.fields(
          "name", v.name(), "channel", v.channel(), "owner", v.owner(), "author", v.author(), "shared", String.valueOf(v.shared()),
          "co-sign", cosign(v), "parent", v.parentId() == null ? "none (first version)" : v.parentId(),
          "variables", v.variables().isEmpty() ? "none" : String.join(", ", v.variables()), "subject", v.subject());
      p.blank();
      p.line(v.body());
      if (history != null && history.size() > 1) {
        p.blank();
        p.heading("history");
        p.table(
            List.of("version", "parent", "author", "created", "co-signed by"),
            history.stream().map(h -> List.of(String.valueOf(h.version()), h.parentId() == null ? "-" : h.parentId(), h.author(), h.createdAt().toString(),
                h.cosignedBy() == null ? (h.shared() ? "(needed)" : "-") : h.cosignedBy())).toList());
      }
      if (note != null) {
        p.blank();
        p.line(note);
      }
    }
  }

  static List<String> row(SnippetVersion v) {
    return List.of(v.ref(), v.name(), v.channel(), v.owner(), v.shared() ? "yes" : "no", v.shared() ? (v.cosignedBy() == null ? "needed" : v.cosignedBy()) : "-");
  }

  static final List<String> HEADERS = List.of("snippet", "name", "channel", "owner", "shared", "co-signed by");

  /** The latest version of each snippet the operator may read. */
  record ListView(List<SnippetVersion> rows) implements View {
    @Override
    public Object tree() {
      return Map.of("snippets", rows.stream().map(v -> fields(v, true)).toList());
    }

    @Override
    public void table(Table.Printer p) {
      if (rows.isEmpty()) {
        p.line("no snippets to show; write one with comms snippet.create --name N --channel email --file BODY --subject S --variables a,b --execute");
        return;
      }
      p.table(HEADERS, rows.stream().map(SnippetViews::row).toList());
    }
  }

  /** Search hits, best first, with their bm25 scores (lower is better). */
  public record SearchView(String query, List<SnippetStore.Hit> hits) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("query", query);
      List<Object> out = new ArrayList<>();
      int rank = 1;
      for (SnippetStore.Hit h : hits) {
        Map<String, Object> x = fields(h.version(), true);
        x.put("rank", rank++);
        x.put("score", h.score());
        out.add(x);
      }
      m.put("hits", out);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      if (hits.isEmpty()) {
        p.line("no snippet you can read matches '" + query + "'");
        return;
      }
      List<String> headers = new ArrayList<>(List.of("rank"));
      headers.addAll(HEADERS);
      List<List<String>> rows = new ArrayList<>();
      int rank = 1;
      for (SnippetStore.Hit h : hits) {
        List<String> r = new ArrayList<>(List.of(String.valueOf(rank++)));
        r.addAll(row(h.version()));
        rows.add(r);
      }
      p.table(headers, rows);
    }
  }
}
