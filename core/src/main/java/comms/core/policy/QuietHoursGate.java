package comms.core.policy;

import comms.core.contract.PolicyContract;
import comms.core.send.Gate;
import comms.core.send.QuietHoursCheck;
import java.util.List;

/** Quiet hours in the recipient's local time: inside them the send is deferred to the next allowed instant. */
public final class QuietHoursGate implements SendGate {
  @Override
  public String name() {
    return Gate.QUIET_HOURS;
  }

  @Override
  public String cites() {
    return "quiet_hours in " + PolicyContract.FILE + " (TCPA: no texts before 8 a.m. or after 9 p.m. recipient-local)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    PolicyContract.QuietHours window = m.policy().quietHours();
    if (!window.channels().contains(m.channel())) {
      return Gate.pass(Gate.QUIET_HOURS, "quiet hours do not apply to " + m.channel());
    }
    QuietHoursCheck quiet;
    if (m.request().recipientTz() != null) {
      quiet = QuietHoursCheck.judge(window, m.request().at(), List.of(m.request().recipientTz()), "given for the recipient");
    } else if (!m.recipient().zones().isEmpty()) {
      quiet = QuietHoursCheck.judge(window, m.request().at(), m.recipient().zones(), "from the number");
    } else {
      quiet = QuietHoursCheck.judge(window, m.request().at(), List.of(window.defaultZone()), "the policy's default zone");
    }
    m.quiet(quiet);
    return quiet.gate();
  }
}
