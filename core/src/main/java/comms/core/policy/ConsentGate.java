package comms.core.policy;

import comms.core.contract.PolicyContract;
import comms.core.send.Gate;
import java.util.Optional;

/** The recipient's consent allows the channel; a recorded opt-out overrides whatever the sender claims. */
public final class ConsentGate implements SendGate {
  @Override
  public String name() {
    return Gate.CONSENT;
  }

  @Override
  public String cites() {
    return "consent.<channel>.allowed_states in " + PolicyContract.FILE + " (TCPA express consent for SMS)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    String channel = m.channel();
    String claimed = m.request().consentState();
    Optional<String> recorded = m.consent().recordedState(channel, m.to());
    if (recorded.filter("opted-out"::equals).isPresent()) {
      m.consentState("opted-out");
      return Gate.fail(
          Gate.CONSENT,
          "a recorded opt-out for this recipient overrides the claimed '" + claimed
              + "'; nothing may be sent until they opt in again (for SMS, by replying START)");
    }
    if (claimed.equals("opted-out")) {
      return Gate.fail(Gate.CONSENT, "the recipient has opted out; opted-out always blocks");
    }
    PolicyContract.ConsentRule rule = m.policy().consent().get(channel);
    if (rule == null) {
      return Gate.fail(Gate.CONSENT, "the policy has no consent rule for " + channel + "; add consent." + channel + " to " + PolicyContract.FILE);
    }
    String note = recorded.map(s -> " (recorded: " + s + ")").orElse("");
    if (!rule.allowedStates().contains(claimed)) {
      return Gate.fail(
          Gate.CONSENT,
          channel + " needs consent " + String.join(" or ", rule.allowedStates()) + " but the recipient's is '" + claimed + "'" + note
              + "; get their consent first" + (rule.note().isBlank() ? "" : " (" + rule.note() + ")"));
    }
    return Gate.pass(Gate.CONSENT, "'" + claimed + "' is allowed for " + channel + note);
  }
}
