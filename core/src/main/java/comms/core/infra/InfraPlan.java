package comms.core.infra;

import java.util.List;

/**
 * A dry-run plan for one target: the ordered steps a provision or bootstrap would take. {@code zone} is
 * the zone file the DNS steps were checked against, or null when there is none (or the plan has no DNS).
 */
public record InfraPlan(String capability, String target, int vmId, String host, String profile, String zone, List<PlanStep> steps) {
  public InfraPlan {
    steps = List.copyOf(steps);
  }

  /** How many steps would change something. */
  public long changes() {
    return steps.stream().filter(PlanStep::changes).count();
  }
}
