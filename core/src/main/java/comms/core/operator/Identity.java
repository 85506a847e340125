package comms.core.operator;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.store.Roster;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a command acts for: the owner (an active operator, whose permissions, caps and audit rows it
 * uses), the actor (that operator, or an agent acting for them) and the operating-system user who
 * ran it. An agent is never an owner.
 */
public record Identity(Roster.Operator operator, String actor, String osUser) {
  /** How an agent names itself: {@code agent:NAME}. */
  public static final String AGENT = "agent:";

  static final Pattern AGENT_NAME = Pattern.compile("agent:[a-z0-9][a-z0-9._-]{0,63}");

  public Identity {
    Objects.requireNonNull(operator);
    Objects.requireNonNull(actor);
  }

  /** The operator who owns the action (and its audit row). */
  public String owner() {
    return operator.email();
  }

  public boolean byAgent() {
    return actor.startsWith(AGENT);
  }

  public boolean admin() {
    return operator.admin();
  }

  /**
   * Whose rows the store's row-level security shows this identity (PostgreSQL; SQLite has none): its
   * owner's, or every operator's (null) for an admin. A command run and each {@code comms serve}
   * request set it on their own store ({@code Store.actingAs}); the comms service itself (the worker,
   * webhooks, the iMessage daemon's calls) acts for everyone and sets none.
   */
  public String rowScope() {
    return admin() ? null : owner();
  }

  /**
   * The identity of a run: the operator named by {@code as} (--as), else {@code envOperator}
   * (COMMS_OPERATOR), else the operators contract's default; {@code actor} (--actor) is null or
   * {@code agent:NAME}. Refused with exit 3 unless the owner is an active operator, and when anyone
   * tries to make an agent the owner; a malformed --actor is a usage error (exit 2).
   */
  public static Identity resolve(Roster roster, String as, String envOperator, String actor, String osUser) {
    String name;
    String from;
    if (as != null) {
      name = as;
      from = "--as";
    } else if (envOperator != null && !envOperator.isBlank()) {
      name = envOperator;
      from = "COMMS_OPERATOR";
    } else {
      name = roster.contract().defaultOperator();
      from = "default_operator in " + OperatorsContract.FILE;
    }
    String who = OperatorsContract.normalize(name);
    if (who.startsWith(AGENT)) {
      throw new CommsException(
          ExitCode.CONTRACT,
          from + " names " + who + ", but an agent can never own an action; name the operator it acts for with --as EMAIL"
              + " and the agent with --actor " + who);
    }
    Optional<Roster.Operator> op = roster.find(who);
    if (op.isEmpty() || !op.get().active()) {
      throw new CommsException(
          ExitCode.CONTRACT,
          from + " names " + (who.isEmpty() ? "nobody" : who) + ", who is not " + (op.isEmpty() ? "an operator" : "an active operator")
              + "; nothing was done. Act as an active operator (comms operators.list shows the roster), or ask an admin to "
              + (op.isEmpty() ? "add you (comms operators.add)" : "reactivate you (comms operators.update --active true)"));
    }
    String acting = op.get().email();
    if (actor != null) {
      String a = actor.strip().toLowerCase(Locale.ROOT);
      if (!AGENT_NAME.matcher(a).matches()) {
        throw new CommsException(
            ExitCode.USAGE,
            "--actor '" + actor + "' must be agent:NAME (letters, digits, '.', '_' or '-'), the agent acting for the operator;"
                + " an operator acting for themself needs no --actor");
      }
      acting = a;
    }
    return new Identity(op.get(), acting, osUser == null || osUser.isBlank() ? null : osUser);
  }
}
