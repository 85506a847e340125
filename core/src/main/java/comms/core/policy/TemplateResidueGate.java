package comms.core.policy;

import comms.core.send.Gate;
import java.util.ArrayList;
import java.util.List;

/** No Mustache braces survive substitution: a half-rendered message never goes out. */
public final class TemplateResidueGate implements SendGate {
  @Override
  public String name() {
    return Gate.TEMPLATE_RESIDUE;
  }

  @Override
  public String cites() {
    return "the outbound contract's forbidden pattern: a body with literal {{ or }} after substitution";
  }

  @Override
  public Gate evaluate(GateContext m) {
    List<String> where = new ArrayList<>();
    for (String[] part : new String[][] {{"subject", m.subject()}, {"body", m.body()}, {"html", m.html()}}) {
      if (part[1] != null && (part[1].contains("{{") || part[1].contains("}}"))) {
        where.add(part[0]);
      }
    }
    if (where.isEmpty()) {
      return Gate.pass(Gate.TEMPLATE_RESIDUE, "no '{{' or '}}' left after substitution");
    }
    return Gate.fail(
        Gate.TEMPLATE_RESIDUE,
        "the rendered " + String.join(" and ", where) + " still contain" + (where.size() == 1 ? "s" : "") + " '{{' or '}}';"
            + " a variable value or the template carries Mustache braces, remove them");
  }
}
