package comms.core.infra;

import comms.core.contract.Source;
import java.util.ArrayList;
import java.util.List;

/** Numbers steps as they are added, so every plan is ordered 1..n. */
final class PlanBuilder {
  private final List<PlanStep> steps = new ArrayList<>();

  PlanBuilder change(String action, String change, String why, Source source) {
    steps.add(new PlanStep(steps.size() + 1, action, change, why, where(source), true));
    return this;
  }

  PlanBuilder keep(String action, String change, String why, Source source) {
    steps.add(new PlanStep(steps.size() + 1, action, change, why, where(source), false));
    return this;
  }

  /** file:line:column, or just the file for a step about the whole file (line 0). */
  private static String where(Source s) {
    return s == null ? "" : s.line() > 0 ? s.where() : s.file();
  }

  List<PlanStep> steps() {
    return List.copyOf(steps);
  }
}
