package comms.core.policy;

/**
 * A rule a sequence is judged by, with its own metadata in the manner of an Error Prone check: a
 * stable {@link #name()} that reports and refusals use, and the rule or law it {@link #cites()}.
 */
public interface PolicyRule {
  /** A stable lower_snake_case name, such as {@code send_window}. */
  String name();

  /** The rule or law behind it, in one line an operator can look up. */
  String cites();
}
