package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.consent.ListChanges;
import comms.cli.commands.ViewTrees;
import comms.core.operator.GovernedChange;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Consent and suppression over HTTP: the changes consent.record, suppression.add and suppression.remove
 * make, read and applied by the same {@link ListChanges} through core's {@link GovernedChange}, with
 * the same audit rows. The authenticated call is the operator's decision (the command's typed yes);
 * {@code "dry_run": true} checks it and changes nothing, as the commands do without --execute.
 */
final class ListRoutes implements RouteSet {
  static final Set<String> CONSENT_FIELDS = Set.of("to", "state", "source", "channel", "dry_run");
  static final Set<String> SUPPRESSION_FIELDS = Set.of("address", "domain", "reason", "dry_run");
  static final ListChanges.ConsentNames NAMES = new ListChanges.ConsentNames("\"to\"", "\"state\"", "\"source\"", "\"channel\"");

  @Override
  public void register(Router r, ServerContext ctx) {
    r.post("/api/consent", Router.Access.BEARER, ListRoutes::consent);
    r.post("/api/suppressions", Router.Access.BEARER, call -> suppression(call, true));
    r.post("/api/suppressions/remove", Router.Access.BEARER, call -> suppression(call, false));
  }

  /** The request itself is the approval: an operator's token made the call, as their typed yes does on the command line. */
  static GovernedChange governed(App app) {
    return new GovernedChange(app::audit, summary -> true);
  }

  /** POST /api/consent: {@code {"to", "state": "opted-in"|"opted-out", "source", "channel"?, "dry_run"?}}. */
  static void consent(HttpCall call) {
    Map<String, Object> b = call.jsonObject(CONSENT_FIELDS);
    App app = call.app();
    ListChanges.Consent c = ListChanges.consent(text(b, "to"), text(b, "state"), text(b, "source"), text(b, "channel"), NAMES);
    boolean recorded = ListChanges.record(app, governed(app), !dryRun(b), c);
    call.json(recorded ? 201 : 200, ViewTrees.consent(c, recorded));
  }

  /** POST /api/suppressions (add) and /api/suppressions/remove: {@code {"address"|"domain", "reason", "dry_run"?}}. */
  static void suppression(HttpCall call, boolean add) {
    Map<String, Object> b = call.jsonObject(SUPPRESSION_FIELDS);
    App app = call.app();
    ListChanges.Target t = ListChanges.target(text(b, "address"), "\"address\"", text(b, "domain"), "\"domain\"");
    String reason = text(b, "reason");
    Optional<Boolean> changed =
        add ? ListChanges.suppress(app, governed(app), !dryRun(b), t, reason, "\"reason\"") : ListChanges.lift(app, governed(app), !dryRun(b), t, reason);
    String note =
        changed.isEmpty() ? "dry run: nothing was changed"
            : add ? (changed.get() ? "suppressed" : "already suppressed; nothing changed")
            : changed.get() ? "suppression lifted" : "no suppression of " + t.kind() + " " + t.value() + " was in force; nothing changed";
    call.json(200, ViewTrees.suppression(add ? "add" : "remove", t, reason, changed.orElse(false), note));
  }

  private static boolean dryRun(Map<String, Object> b) {
    Object v = b.get("dry_run");
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean x)) {
      throw ApiError.badRequest("\"dry_run\" must be true or false");
    }
    return x;
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
}
