package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.send.Imessages;
import comms.core.imessage.DaemonDesk;
import comms.core.imessage.DaemonDisabled;
import comms.core.operator.GovernedChange;
import comms.core.operator.Identity;
import comms.core.store.ImessageQueue;
import comms.core.store.Roster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The iMessage daemon's endpoints: the texts it may send now, its reports, and the texts it received.
 * Each call carries a daemon token ({@link DaemonTokens}, not an operator's), checked here, so the
 * router lists them without operator auth. While the contract switches the daemon off every call is
 * answered 503 {@code daemon_disabled}. Each is a thin call of core's {@link DaemonDesk}.
 */
final class ImessageRoutes implements RouteSet {
  static final String PENDING = "/api/imessage/outbound/pending";

  /** The audit rows' actor of what the daemon reports (an inbound opt-out). */
  static final String ACTOR = "imessage-daemon";

  @Override
  public void register(Router r, ServerContext ctx) {
    r.get(PENDING, Router.Access.PUBLIC, call -> daemon(call, ctx, (app, d) -> call.json(200, pendingBody(d, Imessages.desk(app).pending(d)))));
    r.post("/api/imessage/outbound/{id}/sent", Router.Access.PUBLIC, call -> daemon(call, ctx, (app, d) -> report(call, app, d, true)));
    r.post("/api/imessage/outbound/{id}/failed", Router.Access.PUBLIC, call -> daemon(call, ctx, (app, d) -> report(call, app, d, false)));
    r.post("/api/imessage/inbound", Router.Access.PUBLIC, call -> daemon(call, ctx, (app, d) -> inbound(call, app, d)));
  }

  /** Authenticates the daemon, then runs {@code handler} in an invocation of its own; 503 while the daemon is switched off. */
  private static void daemon(HttpCall call, ServerContext ctx, Handler handler) {
    String auth = call.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
      throw ApiError.unauthorized("unauthenticated", "send Authorization: Bearer <daemon JWT> (comms imessage.daemon signs one with " + DaemonTokens.SECRET_ENV + ")");
    }
    DaemonTokens tokens;
    try {
      tokens = DaemonTokens.from(ctx.app().env(), ctx.clock());
    } catch (comms.core.CommsException e) {
      throw new ApiError(503, "daemon_not_configured", "comms serve has no daemon secret: " + e.getMessage());
    }
    String daemonId = tokens.verify(auth.substring(7).strip());
    App app = ctx.app().forRequest();
    try {
      handler.handle(app, daemonId);
    } catch (DaemonDisabled e) {
      throw new ApiError(503, "daemon_disabled", e.getMessage());
    } finally {
      app.close();
    }
  }

  @FunctionalInterface
  private interface Handler {
    void handle(App app, String daemonId);
  }

  private static void report(HttpCall call, App app, String daemonId, boolean sent) {
    Map<String, Object> body = call.header("Content-Type") == null && call.body().isBlank() ? Map.of() : call.jsonObject(Set.of("error"));
    Object error = body.get("error");
    if (!sent && !(error instanceof String)) {
      throw ApiError.badRequest("\"error\" is required: why the text was not sent, such as \"osascript_exit_1: buddy not found\"");
    }
    ImessageQueue.Queued q = Imessages.desk(app).report(call.param("id"), daemonId, sent, sent ? null : (String) error);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", q.id());
    m.put("state", q.state());
    m.put("reported_at", q.reportedAt() == null ? null : q.reportedAt().toString());
    call.json(200, m);
  }

  private static void inbound(HttpCall call, App app, String daemonId) {
    Map<String, Object> body = call.jsonObject(Set.of("from", "text"));
    if (!(body.get("from") instanceof String from) || !(body.get("text") instanceof String text)) {
      throw ApiError.badRequest("\"from\" (the sender's E.164 number) and \"text\" (what they wrote) are required strings");
    }
    DaemonDesk.Inbound in = Imessages.desk(app).inbound(from, text, Imessages.consents(app));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", in.keyword().action().name());
    if (in.revocation() != null) {
      Roster.Operator op =
          app.roster().find(in.owner()).orElseThrow(() -> new ApiError(500, "internal", "no operator to record the opt-out for; put one on imessage.operators"));
      app.actAsService(new Identity(op, ACTOR, System.getProperty("user.name")));
      // An opt-out is honoured at once: no person is asked, the change and its audit row commit together.
      Map<String, Object> done =
          new GovernedChange(app.audit(), summary -> true)
              .run(new GovernedChange.Request(in.revocation().action(), in.revocation().summary(), true), in.revocation().apply(), x -> x)
              .orElseThrow();
      m.put("recipients_revoked", done.get("recipients_revoked"));
      m.put("queued_cancelled", done.get("queued_cancelled"));
    }
    call.json(200, m);
  }

  static Map<String, Object> item(ImessageQueue.Queued q) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("id", q.id());
    x.put("phone", q.phone());
    x.put("body", q.body());
    x.put("lease_until", q.leaseUntil() == null ? null : q.leaseUntil().toString());
    return x;
  }

  /** GET …/pending's answer: what may go now, each {id, phone, body}, and how long to wait before the next poll. */
  static Map<String, Object> pendingBody(String daemonId, List<ImessageQueue.Queued> items) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("daemon_id", daemonId);
    m.put("items", items.stream().map(ImessageRoutes::item).toList());
    m.put("poll_after_seconds", 10);
    return m;
  }
}
