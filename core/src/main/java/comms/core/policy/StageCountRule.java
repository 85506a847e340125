package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;

/** A sequence has 1 to {@code limits.max_stages} stages. */
public final class StageCountRule implements PolicyRule {
  private final int max;

  public StageCountRule(int max) {
    this.max = max;
  }

  /** Refuses (exit 3) a sequence with no stages or more than the limit. */
  public void check(int stages) {
    if (stages < 1 || stages > max) {
      throw new RuleRefusal(
          this, ExitCode.CONTRACT,
          "the sequence has " + stages + " stages; a sequence has 1 to " + max + " (limits.max_stages in " + SequencesContract.FILE + ")"
              + (stages > max ? "; split it into two sequences" : ""));
    }
  }

  @Override
  public String name() {
    return "stage_count";
  }

  @Override
  public String cites() {
    return "outbound contract §5: no more than 5 stages in one sequence (limits.max_stages)";
  }
}
