package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import java.util.List;

/** A sequence's name: not blank, and matching none of the contract's forbidden names (such as "(Copy)"). */
public final class SequenceNameRule implements PolicyRule {
  private final List<SequencesContract.ForbiddenName> forbidden;

  public SequenceNameRule(List<SequencesContract.ForbiddenName> forbidden) {
    this.forbidden = List.copyOf(forbidden);
  }

  /** The name, stripped; a blank or forbidden one is refused (exit 3) with the contract's reason. */
  public String check(String name) {
    if (name == null || name.isBlank()) {
      throw new RuleRefusal(this, ExitCode.CONTRACT, "a sequence needs a name (name: in the sequence file)");
    }
    String n = name.strip();
    for (SequencesContract.ForbiddenName f : forbidden) {
      if (f.pattern().matcher(n).find()) {
        throw new RuleRefusal(this, ExitCode.CONTRACT, "sequence name '" + n + "' is refused: " + f.reason());
      }
    }
    return n;
  }

  @Override
  public String name() {
    return "sequence_name";
  }

  @Override
  public String cites() {
    return "outbound contract §5: no sequence name containing (Copy) (forbidden_names in " + SequencesContract.FILE + ")";
  }
}
