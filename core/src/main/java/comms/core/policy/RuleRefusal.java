package comms.core.policy;

import comms.core.CommsException;
import comms.core.ExitCode;

/** A rule said no: the rule's name, a sentence saying what was wrong and what to do, and the exit code. */
public final class RuleRefusal extends CommsException {
  private final String rule;

  public RuleRefusal(PolicyRule rule, ExitCode exitCode, String sentence) {
    super(exitCode, sentence);
    this.rule = rule.name();
  }

  /** The name of the rule that refused. */
  public String rule() {
    return rule;
  }
}
