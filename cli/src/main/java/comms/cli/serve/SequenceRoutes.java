package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.sequence.Sequences;
import comms.cli.commands.ViewTrees;
import comms.core.Refused;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.sequence.Enrollment;
import comms.core.sequence.SequenceService;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutating sequence endpoints, each a thin call of the services {@code sequence.*} commands call:
 * create a draft from a sequence document, add recipients (accepted[] and rejected[]), launch, pause,
 * resume and stop under {@code state_version}. Recipient-count gates are cited in {@code X-Approval}
 * exactly as the commands' {@code --approval}; a refused gate is 403 naming it, with its audit row.
 */
final class SequenceRoutes implements RouteSet {
  static final String APPROVAL_HEADER = "X-Approval";
  private static final Set<String> RECIPIENT_KEYS = Set.of("email", "phone", "cc");

  @Override
  public void register(Router r, ServerContext ctx) {
    r.post("/api/sequences", Router.Access.BEARER, SequenceRoutes::create);
    r.post("/api/sequences/{id}/recipients", Router.Access.BEARER, SequenceRoutes::addRecipients);
    r.post("/api/sequences/{id}/launch", Router.Access.BEARER, call -> change(call, "launch"));
    r.post("/api/sequences/{id}/pause", Router.Access.BEARER, call -> change(call, "pause"));
    r.post("/api/sequences/{id}/resume", Router.Access.BEARER, call -> change(call, "resume"));
    r.post("/api/sequences/{id}/stop", Router.Access.BEARER, call -> change(call, "stop"));
  }

  /** POST /api/sequences: the body is a sequence document, the same as a sequence file, under the same schema and rules. */
  static void create(HttpCall call) {
    call.jsonObject(); // a JSON object sent as JSON; its fields are the schema's to judge
    App app = call.app();
    SequenceService.Draft draft = Sequences.draft(app, call.body(), "the request body");
    SequenceRow made = Sequences.service(app).create(call.who(), draft, app.audit());
    call.json(201, ViewTrees.sequence(app, made));
  }

  /** POST /api/sequences/{id}/recipients: {@code {"recipients": [{email, phone, cc, VAR…}]}}, checked and enrolled as sequence.add-recipients --execute does. */
  static void addRecipients(HttpCall call) {
    Map<String, Object> body = call.jsonObject(Set.of("recipients"));
    Object list = body.get("recipients");
    if (!(list instanceof List<?> items)) {
      throw ApiError.badRequest("\"recipients\" is required: a list of objects such as {\"email\": \"a@example.com\", \"first_name\": \"Ada\"}");
    }
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    int n = 0;
    for (Object item : items) {
      n++;
      if (!(item instanceof Map<?, ?> m)) {
        throw ApiError.badRequest("recipients[" + (n - 1) + "] is not an object");
      }
      Map<String, String> vars = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        Object v = e.getValue();
        if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
          throw ApiError.badRequest("recipients[" + (n - 1) + "]." + k + " must be text, like a CSV cell");
        }
        if (!RECIPIENT_KEYS.contains(k) && v != null) {
          vars.put(k, String.valueOf(v));
        }
      }
      rows.add(new Enrollment.RecipientInput(n, text(m.get("email")), text(m.get("phone")), text(m.get("cc")), vars));
    }
    App app = call.app();
    SequenceRow seq = Sequences.service(app).mine(call.who(), call.param("id"));
    boolean live = app.bindings().delivery().live();
    String approval = call.header(APPROVAL_HEADER);
    Enrollment.Result done =
        gated(call, "sequence.add-recipients", seq.id(), () -> Sequences.enrollment(app).add(call.who(), seq, rows, approval, true, live, app.audit()));
    call.json(200, ViewTrees.added(seq.id(), done));
  }

  /** POST /api/sequences/{id}/launch|pause|resume|stop with {@code {"state_version": N}}. */
  static void change(HttpCall call, String verb) {
    Map<String, Object> body = call.jsonObject(Set.of("state_version"));
    int version = HttpCall.intField(body, "state_version");
    App app = call.app();
    Identity who = call.who();
    SequenceService service = Sequences.service(app);
    SequenceRow seq = service.mine(who, call.param("id"));
    String approval = call.header(APPROVAL_HEADER);
    SequenceRow after =
        gated(call, "sequence." + verb, seq.id(), () -> {
          switch (verb) {
            case "launch":
              return service.launch(who, seq.id(), version, approval, SequenceService.Gate.NONE, app.audit());
            case "pause":
              return service.pause(who, seq.id(), version, app.audit());
            case "resume":
              return service.resume(who, seq.id(), version, app.audit());
            default:
              return service.stop(who, seq.id(), version, app.audit());
          }
        });
    call.json(200, ViewTrees.sequence(app, after));
  }

  /** Runs {@code action}; a refused approval gate leaves its audit row (who tried, which gate) before the 403. */
  private static <T> T gated(HttpCall call, String verb, String sequenceId, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (Refused e) {
      if (e.why() == Refused.Why.APPROVAL_REQUIRED) {
        call.app().audit().record(
            AuditTrail.Action.of(verb, "sequence", sequenceId)
                .with("outcome", "refused").with("error", "approval_required:" + e.gate()).with("exit_code", e.exitCode().code()));
      }
      throw e;
    }
  }

  private static String text(Object v) {
    return v == null ? null : String.valueOf(v);
  }
}
