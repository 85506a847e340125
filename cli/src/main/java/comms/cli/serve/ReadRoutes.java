package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.sequence.Sequences;
import comms.cli.commands.ViewTrees;
import comms.core.Timestamps;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.AuditLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The read-only endpoints (the personalize_get_status / _list_sequences / _audit reads): each answers
 * what the matching command prints with {@code --output json}, scoped as the command scopes it (an
 * operator sees their own rows, an admin everyone's).
 */
final class ReadRoutes implements RouteSet {
  @Override
  public void register(Router r, ServerContext ctx) {
    r.get("/api/status", Router.Access.BEARER, call -> call.json(200, StatusReport.of(call.app(), call.who()).tree()));
    r.get("/api/sequences", Router.Access.BEARER, call -> {
      App app = call.app();
      call.json(200, ViewTrees.sequences(app, Sequences.service(app).list(call.who())));
    });
    r.get("/api/sequences/{id}", Router.Access.BEARER, call -> {
      App app = call.app();
      call.json(200, ViewTrees.sequence(app, Sequences.service(app).mine(call.who(), call.param("id"))));
    });
    r.get("/api/audit", Router.Access.BEARER, ReadRoutes::audit);
  }

  /** GET /api/audit?limit=N&action=A&since=ISO&operator=EMAIL, as comms audit. */
  static void audit(HttpCall call) {
    Identity who = call.who();
    int limit = 50;
    String l = call.query("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit=" + l + " is not a whole number");
      }
      if (limit < 1 || limit > 1000) {
        throw ApiError.badRequest("limit must be between 1 and 1000, not " + limit);
      }
    }
    Instant since = null;
    String s = call.query("since");
    if (s != null) {
      try {
        since = Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw ApiError.badRequest("since=" + s + " is not an ISO-8601 instant such as 2026-11-22T15:00:00Z");
      }
    }
    Permissions.Scope scope = Permissions.auditScope(who, call.query("operator"));
    if (scope.refusal() != null) {
      throw new ApiError(403, scope.refusal().code(), scope.refusal().message());
    }
    List<AuditLog.Entry> rows = AuditLog.of(call.app().store()).newest(new AuditLog.Query(limit, scope.owner(), call.query("action"), since));
    String shown = scope.owner() == null ? "every operator's rows" : "rows of " + scope.owner();
    call.json(200, ViewTrees.audit(shown, rows));
  }

  static String at(Instant i) {
    return i == null ? null : Timestamps.format(i);
  }
}
