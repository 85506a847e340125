package comms.core.approval;

import comms.core.CommsException;
import comms.core.ExitCode;

/**
 * A recipient-count gate that the cited approval did not satisfy (exit 4, nothing changed): which gate
 * applies ({@code confirm}, {@code multipov} or {@code token}) and the tier of the count, so an API or
 * an agent can say which approval to fetch without parsing the sentence.
 */
public final class ApprovalRequired extends CommsException {
  private final String gate;
  private final String tier;

  public ApprovalRequired(String gate, String tier, String message) {
    super(ExitCode.POLICY, message);
    this.gate = gate;
    this.tier = tier;
  }

  /** The approval kind the gate needs: confirm, multipov or token. */
  public String gate() {
    return gate;
  }

  /** The recipient-count tier that picked the gate, as "51–500". */
  public String tier() {
    return tier;
  }
}
