package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import java.util.Locale;
import java.util.Objects;

/**
 * When a stage fires: {@code always}, {@code no_reply} or {@code no_engagement}, as far as the contract
 * allows them. {@code opened} is refused with the contract's reason: privacy proxies fetch every
 * tracking pixel, so an open says nothing about a person.
 */
public final class StageTrigger implements PolicyRule {
  /** The triggers comms evaluates. */
  public enum Kind {
    ALWAYS, NO_REPLY, NO_ENGAGEMENT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final SequencesContract.Triggers triggers;

  public StageTrigger(SequencesContract.Triggers triggers) {
    this.triggers = Objects.requireNonNull(triggers);
  }

  /** The trigger {@code text} names; a refused, unknown or disallowed one is refused (exit 3) with a sentence. */
  public Kind parse(String text) {
    String allowed = String.join(", ", triggers.allowed());
    if (text == null || text.isBlank()) {
      throw refuse("a stage needs a trigger: one of " + allowed);
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    String reason = triggers.refused().get(t);
    if (reason != null) {
      throw refuse("trigger '" + t + "' is refused: " + reason + ". Use one of " + allowed);
    }
    if (!triggers.allowed().contains(t)) {
      boolean known = SequencesContract.KNOWN_TRIGGERS.contains(t);
      throw refuse("trigger '" + text.strip() + "' is " + (known ? "not allowed by " + SequencesContract.FILE : "not known") + "; use one of " + allowed);
    }
    return Kind.valueOf(t.toUpperCase(Locale.ROOT));
  }

  private RuleRefusal refuse(String sentence) {
    return new RuleRefusal(this, ExitCode.CONTRACT, sentence);
  }

  @Override
  public String name() {
    return "stage_trigger";
  }

  @Override
  public String cites() {
    return "outbound contract §2: no 'opened' trigger; use always, no_reply or no_engagement (Apple MPP and Google Image Proxy prefetch pixels)";
  }
}
