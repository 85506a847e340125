package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;

/** One add-recipients call carries at most {@code limits.max_recipients_per_call} rows, or is refused whole. */
public final class RecipientBatchRule implements PolicyRule {
  private final int max;

  public RecipientBatchRule(int max) {
    this.max = max;
  }

  /** Refuses (exit 2) a call with more rows than the limit; nothing of it is added. */
  public void check(int rows) {
    if (rows > max) {
      throw new RuleRefusal(
          this, ExitCode.USAGE,
          "the file has " + rows + " recipient rows; one call adds at most " + max + " (limits.max_recipients_per_call in " + SequencesContract.FILE
              + "), so nothing was added. Split it into files of " + max + " rows or fewer");
    }
  }

  @Override
  public String name() {
    return "recipient_batch";
  }

  @Override
  public String cites() {
    return "outbound contract §5: no bulk add of more than 2,000 recipients in one call (limits.max_recipients_per_call)";
  }
}
