package comms.cli.serve;

import java.util.Map;

/**
 * What answers without a token: health, the generated usage contract, the dashboard's stylesheet, and
 * the one-time login link that opens a dashboard session.
 */
final class PublicRoutes implements RouteSet {
  static final String LOGIN_PATH = "/dashboard/login";

  @Override
  public void register(Router r, ServerContext ctx) {
    r.get("/healthz", Router.Access.PUBLIC, call -> call.json(200, Map.of("status", "ok")));
    r.get("/AGENTS.md", Router.Access.PUBLIC, call -> call.text(200, "text/markdown", AgentsDoc.render(ctx.app().bindings(), ctx.router().routes())));
    r.get("/dashboard.css", Router.Access.PUBLIC, call -> call.text(200, "text/css", DashboardRoutes.css()));
    r.get(LOGIN_PATH, Router.Access.PUBLIC, call -> login(call, ctx));
  }

  /**
   * GET /dashboard/login?token=…: a login link from comms dashboard.open, used once within its 60 s,
   * for an operator who is still active; opens a session cookie and sends the browser to the dashboard.
   */
  static void login(HttpCall call, ServerContext ctx) {
    String token = call.query("token");
    if (token == null || token.isBlank()) {
      throw ApiError.unauthorized("invalid_token", "the login link has no token; run comms dashboard.open --as EMAIL for a new one");
    }
    BearerTokens.Verified v = ctx.tokens().verify(token, BearerTokens.Scope.LOGIN);
    String email = comms.core.contract.OperatorsContract.normalize(v.subject());
    var app = ctx.app().forRequest();
    try {
      app.roster().find(email).filter(comms.core.store.Roster.Operator::active)
          .orElseThrow(() -> ApiError.unauthorized("unknown_operator", "the login link names " + email + ", who is not an active operator"));
    } finally {
      app.close();
    }
    String session = ctx.sessions().open(v.id(), v.expiresAt(), email);
    call.redirect(DashboardRoutes.PATH, Map.of("Set-Cookie", Sessions.cookie(session, call.secure())));
  }
}
