package comms.core.operator;

import comms.core.contract.OperatorsContract;
import comms.core.contract.StackContract;
import comms.core.store.Roster;
import java.util.Optional;

/**
 * No cross-operator action: what an identity may do. Admins add and change operators and read every
 * operator's audit rows; an operator reads their own rows, changes only their own display name, and
 * sends test mail only from pilot mailboxes nobody else owns.
 */
public final class Permissions {
  private Permissions() {}

  /** Why an action is refused: a code for the audit row, and a sentence for the person. */
  public record Refusal(String code, String message) {}

  public static Optional<Refusal> addOperator(Identity who) {
    if (who.admin()) {
      return Optional.empty();
    }
    return Optional.of(new Refusal("not_admin", who.owner() + " is not an admin; only an admin adds operators (comms operators.list shows who is)"));
  }

  public static Optional<Refusal> updateOperator(Identity who, String target, Roster.Change change) {
    if (who.admin()) {
      return Optional.empty();
    }
    if (!OperatorsContract.normalize(target).equals(who.owner())) {
      return Optional.of(new Refusal("other_operator", who.owner() + " may not change another operator's row; only an admin does that"));
    }
    if (change.beyondName()) {
      return Optional.of(new Refusal("not_admin", "only an admin changes roles, caps and whether an operator is active; you may change your own display name"));
    }
    return Optional.empty();
  }

  /** Whose audit rows a query reads: {@code requested} (null = everyone's for an admin, one's own otherwise), or a refusal. */
  public static Scope auditScope(Identity who, String requested) {
    String r = requested == null ? null : OperatorsContract.normalize(requested);
    if (who.admin()) {
      return new Scope(r, null);
    }
    if (r != null && !r.equals(who.owner())) {
      return new Scope(null, new Refusal("other_operator", who.owner() + " reads only their own audit rows; an admin reads everyone's"));
    }
    return new Scope(who.owner(), null);
  }

  /** The owner filter for an audit read (null: every operator), or why the read is refused. */
  public record Scope(String owner, Refusal refusal) {}

  /** A pilot mailbox another operator owns is theirs to send from, not this identity's. */
  public static Optional<Refusal> sendFrom(Identity who, StackContract.Mailbox mailbox) {
    String owner = mailbox.owner() == null ? "" : OperatorsContract.normalize(mailbox.owner());
    if (owner.isEmpty() || owner.equals(who.owner())) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal("other_operator", "pilot mailbox " + mailbox.address() + " belongs to " + owner + "; send tests from your own pilot mailbox (--from), or ask " + owner));
  }
}
