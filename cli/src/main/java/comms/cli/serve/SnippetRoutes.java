package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.snippet.Snippets;
import comms.cli.commands.ViewTrees;
import comms.core.operator.AuditTrail;
import comms.core.operator.GovernedChange;
import comms.core.snippet.SnippetService;
import comms.core.store.SnippetStore.SnippetVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snippet library over HTTP, each a thin call of core's {@link SnippetService} as the snippet.*
 * commands make it: search (the personalize_search_snippets read) and list, show one with its history,
 * create, edit into a new version, and co-sign a shared version. What an operator may read, edit or
 * co-sign is the service's rule; a refused co-sign leaves its audit row as the command's does.
 */
final class SnippetRoutes implements RouteSet {
  static final Set<String> CREATE_FIELDS = Set.of("name", "channel", "subject", "body", "shared", "variables");
  static final Set<String> EDIT_FIELDS = Set.of("name", "subject", "body", "shared", "variables");

  @Override
  public void register(Router r, ServerContext ctx) {
    r.get("/api/snippets", Router.Access.BEARER, SnippetRoutes::search);
    r.get("/api/snippets/{id}", Router.Access.BEARER, call -> {
      SnippetService.Shown s = Snippets.service(call.app()).show(call.who(), call.param("id"));
      call.json(200, ViewTrees.snippet(s.version(), s.history(), null));
    });
    r.post("/api/snippets", Router.Access.BEARER, SnippetRoutes::create);
    r.post("/api/snippets/{id}/versions", Router.Access.BEARER, SnippetRoutes::edit);
    r.post("/api/snippets/{id}/cosign", Router.Access.BEARER, SnippetRoutes::cosign);
  }

  /**
   * GET /api/snippets?q=WORDS&limit=N: what snippet.search answers (best first); without q, what
   * snippet.list answers ({@code shared=true}, {@code mine=true} narrow it).
   */
  static void search(HttpCall call) {
    App app = call.app();
    String q = call.query("q");
    if (q == null) {
      List<SnippetVersion> rows = Snippets.service(app).list(call.who(), flag(call, "shared"), flag(call, "mine"));
      call.json(200, ViewTrees.snippets(rows));
      return;
    }
    int limit = 20;
    String l = call.query("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit=" + l + " is not a whole number");
      }
      if (limit < 1 || limit > 200) {
        throw ApiError.badRequest("limit must be 1 to 200, not " + limit);
      }
    }
    call.json(200, ViewTrees.snippetSearch(q, Snippets.service(app).search(call.who(), q, limit)));
  }

  /** POST /api/snippets: {@code {name, channel, subject?, body, shared?, variables[]}}, as snippet.create --execute. */
  static void create(HttpCall call) {
    Map<String, Object> b = call.jsonObject(CREATE_FIELDS);
    App app = call.app();
    SnippetService.Draft d =
        new SnippetService.Draft(
            text(b, "name"), text(b, "channel"), text(b, "subject"), text(b, "body"), "the request body's \"body\"", bool(b, "shared"), names(b, "variables"));
    if (d.name() == null || d.channel() == null || d.body() == null || d.variables() == null) {
      throw ApiError.badRequest("a new snippet needs \"name\", \"channel\", \"body\" and \"variables\" ([] for none)");
    }
    SnippetVersion v = Snippets.service(app).create(call.who(), d, app.audit());
    call.json(201, ViewTrees.snippet(v, null, ViewTrees.snippetNext(v)));
  }

  /** POST /api/snippets/{id}/versions: the fields that change, as snippet.edit --execute; what is left out is kept. */
  static void edit(HttpCall call) {
    Map<String, Object> b = call.jsonObject(EDIT_FIELDS);
    if (b.isEmpty()) {
      throw ApiError.badRequest("say what changes: one or more of " + String.join(", ", new java.util.TreeSet<>(EDIT_FIELDS)) + "; nothing was written");
    }
    App app = call.app();
    SnippetService.Draft d =
        new SnippetService.Draft(text(b, "name"), null, text(b, "subject"), text(b, "body"), "the request body's \"body\"", bool(b, "shared"), names(b, "variables"));
    SnippetVersion v = Snippets.service(app).edit(call.who(), call.param("id"), d, app.audit());
    call.json(201, ViewTrees.snippet(v, null, ViewTrees.snippetNext(v)));
  }

  /** POST /api/snippets/{ref}/cosign: the caller co-signs ID@VERSION, as snippet.cosign --execute; a refusal is audited, then 403. */
  static void cosign(HttpCall call) {
    if (call.header("Content-Type") != null || !call.body().isEmpty()) {
      call.jsonObject(Set.of());
    }
    App app = call.app();
    SnippetService service = Snippets.service(app);
    SnippetVersion v = service.show(call.who(), call.param("id")).version();
    AuditTrail.Action action = AuditTrail.Action.of("snippet.cosign", "snippet", v.id()).with("version", v.version());
    service.cosignRefusal(call.who(), v.ref()).ifPresent(r -> {
      throw GovernedChange.refuse(app.audit(), true, r, action);
    });
    SnippetVersion signed = service.cosign(call.who(), v.ref(), app.audit());
    call.json(200, ViewTrees.snippet(signed, null, "co-signed; sequences may now pin it with snippet: " + signed.ref()));
  }

  private static String text(Map<String, Object> b, String name) {
    Object v = b.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiError.badRequest("\"" + name + "\" must be text");
    }
    return s;
  }

  private static Boolean bool(Map<String, Object> b, String name) {
    Object v = b.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean x)) {
      throw ApiError.badRequest("\"" + name + "\" must be true or false");
    }
    return x;
  }

  private static List<String> names(Map<String, Object> b, String name) {
    Object v = b.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> l)) {
      throw ApiError.badRequest("\"" + name + "\" must be a list of variable names, such as [\"first_name\"]");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw ApiError.badRequest("\"" + name + "\" must hold variable names as text, not " + comms.core.json.Json.write(o));
      }
      out.add(s.strip());
    }
    return out;
  }

  private static boolean flag(HttpCall call, String name) {
    String v = call.query(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.isEmpty() || v.equals("true")) {
      return true;
    }
    throw ApiError.badRequest(name + "=" + v + " must be true or false");
  }
}
