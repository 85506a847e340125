package comms.core.delivery;

import comms.core.send.ControlCharacters;
import comms.core.send.Gate;
import comms.core.send.Preview;
import java.util.List;

/** The text a person reads before approving one send (TransactionalSend asks with it). */
final class ApprovalSummary {
  private ApprovalSummary() {}

  /**
   * Everything a person needs before answering: the verdict, every gate with its reason (warnings
   * first), the variables the template ignores, and the message itself. Values are shown with their
   * control characters escaped (a body or subject must not drive the terminal).
   */
  static String of(Preview p, String key, String sender) {
    StringBuilder sb = new StringBuilder();
    sb.append("About to send one ").append(p.channel().toUpperCase(java.util.Locale.ROOT)).append(" message:\n");
    sb.append("  mode:            ").append(p.mode()).append(p.live() ? " (a real message will be sent)" : " (simulated, nothing leaves this machine)").append('\n');
    sb.append("  provider:        ").append(p.provider()).append('\n');
    sb.append("  channel:         ").append(p.channel()).append('\n');
    if (sender != null) {
      sb.append("  from:            ").append(ControlCharacters.visible(sender)).append('\n');
    }
    sb.append("  recipient:       ").append(ControlCharacters.visible(p.to())).append('\n');
    sb.append("  message type:    ").append(p.messageType()).append(" (template ").append(p.templateId()).append(")\n");
    sb.append("  idempotency key: ").append(key).append('\n');
    sb.append("  verdict:         ").append(p.verdict().name())
        .append(p.nextAllowedAt() != null ? " until " + p.nextAllowedAt() : "").append('\n');
    long warnings = p.gates().stream().filter(g -> g.result() == Gate.Result.warn).count();
    sb.append("  gates:           ").append(p.gates().size()).append(" checked")
        .append(warnings == 0 ? ", none warns" : ", " + warnings + (warnings == 1 ? " warns" : " warn")).append('\n');
    int width = p.gates().stream().mapToInt(g -> g.name().length()).max().orElse(0);
    List<Gate> ordered = new java.util.ArrayList<>(p.gates());
    // Warnings and failures first: the lines a person must read before saying yes.
    ordered.sort(java.util.Comparator.comparingInt(g -> g.result() == Gate.Result.pass ? 1 : 0));
    for (Gate g : ordered) {
      sb.append("    ").append(String.format("%-4s", g.result().name())).append(' ')
          .append(String.format("%-" + width + "s", g.name())).append("  ").append(ControlCharacters.visible(g.reason())).append('\n');
    }
    sb.append("  undeclared vars: ")
        .append(p.undeclaredVars().isEmpty()
            ? "none"
            : ControlCharacters.visible(String.join(", ", p.undeclaredVars())) + " (given, but template " + p.templateId() + " does not use them)")
        .append('\n');
    if (p.subject() != null) {
      sb.append("  subject:         ").append(ControlCharacters.visible(p.subject())).append('\n');
    }
    sb.append("  --- message ---\n");
    for (String line : p.body().split("\n", -1)) {
      sb.append("  ").append(ControlCharacters.visibleLines(line)).append('\n');
    }
    sb.append("  ---------------");
    return sb.toString();
  }
}
