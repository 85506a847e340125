package comms.cli.serve;

import comms.cli.App;
import comms.core.ExitCode;
import comms.core.engagement.EngagementService;
import comms.core.engagement.EngagementService.Outcome;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /webhooks/resend}: Resend's webhooks as they arrive, each handed with its raw body and
 * its Svix headers to core's {@link EngagementService#ingest}, the call engagement.ingest makes for a
 * captured file, so the signature check, the open rules, the once-per-svix-id record and the
 * suppression of hard bounces and complaints are the same code. No bearer token: the Svix signature
 * (the secret in the variable the sequences contract's engagement.webhook_secret_env names) is the
 * authentication. The answer holds ids and codes only, never an address.
 */
final class WebhookRoutes implements RouteSet {
  static final String PATH = "/webhooks/resend";
  /** The actor of the audit rows a webhook writes; the owner is the operator the server runs as (--as, COMMS_OPERATOR or the default). */
  static final String ACTOR = "webhook:resend";

  private static final String[] HEADERS = {"id", "timestamp", "signature"};

  @Override
  public void register(Router r, ServerContext ctx) {
    r.post(PATH, Router.Access.PUBLIC, call -> resend(call, ctx));
  }

  static void resend(HttpCall call, ServerContext ctx) {
    String body = call.body();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String prefix : new String[] {"svix-", "webhook-"}) {
      for (String h : HEADERS) {
        String v = call.header(prefix + h);
        if (v != null) {
          headers.put(prefix + h, v);
        }
      }
    }
    App app = ctx.app().forRequest();
    try {
      Identity server = ctx.app().identity();
      app.actAsService(new Identity(server.operator(), ACTOR, server.osUser()));
      EngagementService service = EngagementService.from(app.bindings().sequences().engagement(), app.env(), app.store(), app.audit(), app.clock());
      Outcome o = service.ingest(headers, body);
      String result = o instanceof Outcome.Accepted a ? a.effect() : o instanceof Outcome.Duplicate ? "duplicate" : "refused";
      boolean refused = o instanceof Outcome.Refused;
      // One row per webhook, as engagement.ingest writes one per batch: what came in and what it did, by code.
      AuditTrail.Action row = AuditTrail.Action.of("engagement.ingest", "webhook_events", null).with("input", "http").with(result, 1);
      if (o.svixId() != null && o.svixId().matches("[A-Za-z0-9_.:-]{1,64}")) {
        row = row.with("svix_id", o.svixId());
      }
      if (o instanceof Outcome.Refused r) {
        row = row.with("error", r.reason());
      }
      app.audit().record(row.with(AuditTrail.outcome(refused ? "refused" : "applied", refused ? ExitCode.POLICY.code() : 0)));
      if (o instanceof Outcome.Refused r) {
        throw refusal(r, app.bindings().sequences().engagement().webhookSecretEnv());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("svix_id", o.svixId());
      m.put("result", result);
      if (o instanceof Outcome.Accepted a) {
        m.put("type", a.event().type());
        m.put("sequence_id", a.sequenceId());
        m.put("enrollment_id", a.enrollmentId());
        m.put("stage", a.stage());
        m.put("counts_as_engagement", a.counts());
        m.put("ignored_by", a.ignoredBy());
        m.put("enrollments_ended", a.enrollmentsEnded());
      }
      call.json(200, m);
    } finally {
      app.close();
    }
  }

  /**
   * A refused webhook: 400 for a body that is not a Resend event, 503 while the signing secret is not
   * configured (Resend retries, and the next attempt can succeed once it is), 401 for every signature
   * or timestamp problem. Nothing of it was applied; the refusal is counted.
   */
  static ApiError refusal(Outcome.Refused r, String secretEnv) {
    switch (r.reason()) {
      case "invalid_body":
        return new ApiError(400, "invalid_body", "the webhook is signed but is not a Resend event: " + r.sentence() + "; nothing was applied");
      case "no_secret":
        return new ApiError(503, "webhook_secret_unset", secretEnv + " is not set on this server, so no webhook can be verified; nothing was applied (Resend will retry)");
      default:
        return new ApiError(401, r.reason(), "the webhook was refused: " + r.sentence() + "; nothing was applied");
    }
  }
}
