package comms.core.approval;

import comms.core.ExitCode;
import comms.core.Refused;

/**
 * A recipient-count gate that the cited approval did not satisfy (exit 4, nothing changed): which gate
 * applies ({@code confirm}, {@code multipov} or {@code token}) and the tier of the count, so an API or
 * an agent can say which approval to fetch without parsing the sentence. A {@link Refused} of kind
 * {@link Refused.Why#APPROVAL_REQUIRED}, so the HTTP API answers it 403 with the gate.
 */
public final class ApprovalRequired extends Refused {
  private final String tier;

  public ApprovalRequired(String gate, String tier, String message) {
    super(Why.APPROVAL_REQUIRED, ExitCode.POLICY, message, gate);
    this.tier = tier;
  }

  /** The recipient-count tier that picked the gate, as "51–500". */
  public String tier() {
    return tier;
  }
}
