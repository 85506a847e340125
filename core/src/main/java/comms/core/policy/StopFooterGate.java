package comms.core.policy;

import comms.core.contract.PolicyContract;
import comms.core.send.Gate;
import java.util.Locale;

/** SMS bodies carry the policy's opt-out footer; it is appended when the template lacks it. */
public final class StopFooterGate implements SendGate {
  @Override
  public String name() {
    return Gate.STOP_FOOTER;
  }

  @Override
  public String cites() {
    return "stop_footer in " + PolicyContract.FILE + " (CTIA: tell recipients how to opt out)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    PolicyContract.StopFooter footer = m.policy().stopFooter();
    if (!footer.channels().contains(m.channel())) {
      return Gate.pass(Gate.STOP_FOOTER, "no opt-out footer required for " + m.channel());
    }
    String body = m.body();
    if (body.toLowerCase(Locale.ROOT).contains(footer.text().toLowerCase(Locale.ROOT))) {
      return Gate.pass(Gate.STOP_FOOTER, "present: \"" + footer.text() + "\"");
    }
    String trimmed = body.stripTrailing();
    m.body(trimmed + (trimmed.contains("\n") ? "\n" : " ") + footer.text());
    return Gate.pass(Gate.STOP_FOOTER, "appended: \"" + footer.text() + "\"");
  }
}
