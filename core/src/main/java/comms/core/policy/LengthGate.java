package comms.core.policy;

import comms.core.contract.Channels;
import comms.core.contract.PolicyContract;
import comms.core.send.Gate;
import comms.core.send.SmsSegments;

/** An SMS (with its footer) fits the policy's segment limit, GSM-7 or UCS-2 counted as carriers count them. */
public final class LengthGate implements SendGate {
  @Override
  public String name() {
    return Gate.LENGTH;
  }

  @Override
  public String cites() {
    return "sms.max_segments in " + PolicyContract.FILE + " (3GPP TS 23.038 encodings: 160/153 GSM-7, 70/67 UCS-2)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    if (!m.channel().equals(Channels.SMS)) {
      return Gate.pass(Gate.LENGTH, "no segment limit for " + m.channel());
    }
    SmsSegments sms = SmsSegments.of(m.body());
    m.sms(sms);
    int max = m.policy().smsMaxSegments();
    String shape = sms.segments() + " segment" + (sms.segments() == 1 ? "" : "s") + " " + sms.encoding() + " (" + sms.characters() + " characters)";
    // Naming the characters that force UCS-2 tells the operator what to replace to halve the cost.
    String hint =
        sms.encoding().equals(SmsSegments.UCS_2) ? "; " + String.join(" ", sms.nonGsmCharacters().stream().distinct().limit(5).toList()) + " force UCS-2" : "";
    if (sms.segments() > max) {
      return Gate.fail(Gate.LENGTH, shape + " is over the policy maximum of " + max + hint + "; shorten the variables or the template");
    }
    return Gate.pass(Gate.LENGTH, shape + ", within the policy maximum of " + max + hint);
  }
}
