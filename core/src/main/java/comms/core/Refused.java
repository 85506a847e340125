package comms.core;

/**
 * A refusal whose kind a front end needs to tell apart (the HTTP API answers 404, 403 or 409 for
 * them) while the command line keeps the exit code it always had.
 */
public class Refused extends CommsException {
  /** Why the action was refused. */
  public enum Why {
    /** The sequence (or other resource) named does not exist. */
    NOT_FOUND,
    /** The resource belongs to another operator. */
    OTHER_OPERATOR,
    /** The recipient count needs an approval that was not cited, or not recorded. */
    APPROVAL_REQUIRED,
    /** The state_version given is not the current one: someone changed the resource since it was read. */
    STALE_VERSION,
    /** More rows in one call than the contract allows. */
    TOO_MANY
  }

  private final Why why;
  private final String gate;

  public Refused(Why why, ExitCode code, String message) {
    this(why, code, message, null);
  }

  /** {@code gate}: the approval kind that applies (confirm, multipov, token), for {@link Why#APPROVAL_REQUIRED}. */
  public Refused(Why why, ExitCode code, String message, String gate) {
    super(code, message);
    this.why = java.util.Objects.requireNonNull(why);
    this.gate = gate;
  }

  public Why why() {
    return why;
  }

  /** The approval gate that applies, or null. */
  public String gate() {
    return gate;
  }
}
