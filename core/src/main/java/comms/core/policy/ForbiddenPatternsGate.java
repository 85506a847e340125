package comms.core.policy;

import comms.core.contract.PolicyContract;
import comms.core.send.Gate;
import java.util.ArrayList;
import java.util.List;

/** The policy's forbidden patterns (card numbers, passwords) appear in neither subject nor body. */
public final class ForbiddenPatternsGate implements SendGate {
  @Override
  public String name() {
    return Gate.FORBIDDEN_PATTERNS;
  }

  @Override
  public String cites() {
    return "forbidden_patterns in " + PolicyContract.FILE + " (PCI DSS: never send card data)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    List<String> hits = new ArrayList<>();
    List<PolicyContract.ForbiddenPattern> patterns = m.policy().forbiddenPatterns();
    for (PolicyContract.ForbiddenPattern p : patterns) {
      List<String> in = new ArrayList<>();
      if (m.subject() != null && p.pattern().matcher(m.subject()).find()) {
        in.add("subject");
      }
      if (p.pattern().matcher(m.body()).find()) {
        in.add("body");
      }
      if (!in.isEmpty()) {
        hits.add(p.name() + " in the " + String.join(" and ", in) + ": " + p.reason());
      }
    }
    if (hits.isEmpty()) {
      int n = patterns.size();
      return Gate.pass(Gate.FORBIDDEN_PATTERNS, n == 0 ? "the policy forbids no patterns" : "none of the " + n + " forbidden patterns found");
    }
    return Gate.fail(Gate.FORBIDDEN_PATTERNS, String.join("; ", hits) + "; change the message");
  }
}
