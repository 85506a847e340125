package comms.core.policy;

import comms.core.send.Gate;
import comms.core.send.HeaderSafety;

/** No control character in anything that becomes a header (the subject, the From): no header injection. */
public final class HeaderSafetyGate implements SendGate {
  @Override
  public String name() {
    return Gate.HEADER_SAFETY;
  }

  @Override
  public String cites() {
    return "RFC 5322 §2.2 (header fields are one line of printable characters)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    return HeaderSafety.gate(m.template(), m.request().vars(), m.subject(), m.provider());
  }
}
