package comms.core.policy;

import comms.core.send.Gate;

/** Nothing goes to a suppressed address, number, or email domain (or a parent domain). */
public final class SuppressionGate implements SendGate {
  @Override
  public String name() {
    return Gate.SUPPRESSION;
  }

  @Override
  public String cites() {
    return "the suppression list in the state store (comms suppression.add)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    String to = m.to();
    return m.suppressions()
        .match(m.channel(), to)
        .map(why -> Gate.fail(Gate.SUPPRESSION, to + " is on the suppression list (" + why + "); nothing may be sent to it"))
        .orElseGet(() -> Gate.pass(Gate.SUPPRESSION, "not on the suppression list"));
  }
}
