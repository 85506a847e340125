package comms.core.policy;

import comms.core.send.Gate;

/** The recipient is a real address: E.164 for SMS (libphonenumber), one '@' and a real top-level domain for email. */
public final class RecipientGate implements SendGate {
  @Override
  public String name() {
    return Gate.RECIPIENT;
  }

  @Override
  public String cites() {
    return "E.164 (ITU-T) numbers for SMS; RFC 5321 addresses with an IANA top-level domain for email";
  }

  @Override
  public Gate evaluate(GateContext m) {
    return m.recipient().gate();
  }
}
