package comms.cli.serve;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.OperatorsContract;
import comms.core.operator.Identity;
import comms.core.store.Roster;
import java.util.Optional;

/**
 * Who a request acts for: the operator its bearer token (or, on read-only pages, its dashboard
 * session) names, who must be an active operator of the roster now; the actor is {@value #ACTOR},
 * or the agent an {@code X-Actor: agent:NAME} header names.
 */
final class Authenticator {
  /** The audit rows' actor for a call made over the API without an X-Actor header. */
  static final String ACTOR = "api";

  private final BearerTokens tokens;
  private final Sessions sessions;

  Authenticator(BearerTokens tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  Identity authenticate(HttpCall call, App app, Router.Access access) {
    String auth = call.header("Authorization");
    String operator;
    if (auth != null) {
      if (!auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
        throw ApiError.unauthorized("invalid_token", "the Authorization header must be 'Bearer <JWT>'");
      }
      operator = tokens.verify(auth.substring(7).strip(), BearerTokens.Scope.API).subject();
    } else if (access == Router.Access.BEARER_OR_SESSION) {
      Optional<String> s = sessions.operator(Sessions.fromHeader(call.header("Cookie")));
      if (s.isEmpty()) {
        throw ApiError.unauthorized(
            "unauthenticated", "no bearer token and no live dashboard session; open a login link from comms dashboard.open --as EMAIL, or send Authorization: Bearer <JWT>");
      }
      operator = s.get();
    } else {
      throw ApiError.unauthorized("unauthenticated", "send Authorization: Bearer <JWT> (an operator's token; comms auth.token --as EMAIL mints one for local use)");
    }
    String email = OperatorsContract.normalize(operator);
    Roster roster = app.roster();
    Roster.Operator op =
        roster.find(email).filter(Roster.Operator::active)
            .orElseThrow(() -> ApiError.unauthorized("unknown_operator", "the token names " + email + ", who is not an active operator; ask an admin (comms operators.list)"));
    String actor = call.header("X-Actor");
    String osUser = System.getProperty("user.name");
    if (actor == null || actor.isBlank()) {
      return new Identity(op, ACTOR, osUser);
    }
    try {
      return Identity.resolve(roster, op.email(), null, actor, osUser);
    } catch (CommsException e) {
      throw ApiError.badRequest("X-Actor: " + e.getMessage().replace("--actor", "X-Actor"));
    }
  }
}
