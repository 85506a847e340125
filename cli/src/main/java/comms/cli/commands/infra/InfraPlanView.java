package comms.cli.commands.infra;

import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.infra.InfraPlan;
import comms.core.infra.PlanStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An infra dry-run plan as shown and as kept in the run's receipt. */
public record InfraPlanView(InfraPlan plan) implements View {
  @Override
  public Object tree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capability", plan.capability());
    m.put("dry_run", true);
    m.put("target", plan.target());
    m.put("vm_id", plan.vmId());
    m.put("host", plan.host());
    m.put("profile", plan.profile());
    if (plan.zone() != null) {
      m.put("zone_file", plan.zone());
    }
    m.put("changes", plan.changes());
    List<Object> steps = new ArrayList<>();
    for (PlanStep s : plan.steps()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("order", s.order());
      x.put("action", s.action());
      x.put("change", s.change());
      x.put("why", s.why());
      x.put("source", s.source());
      x.put("changes", s.changes());
      steps.add(x);
    }
    m.put("steps", steps);
    return m;
  }

  @Override
  public void table(Table.Printer p) {
    p.heading(plan.capability() + " dry run: " + plan.target() + " (VM " + plan.vmId() + ", " + plan.host() + ", profile " + plan.profile() + ")");
    // One block per step rather than a table: change and why are sentences, too long for columns.
    for (PlanStep s : plan.steps()) {
      p.line(String.format("%2d. %s: %s", s.order(), s.action(), s.change()));
      p.line("    why: " + s.why());
      if (!s.source().isEmpty()) {
        p.line("    from: " + s.source());
      }
    }
    p.blank();
    if (plan.zone() != null) {
      p.line("DNS checked against " + plan.zone() + " (offline; no DNS queries)");
    }
    p.line(plan.changes() + " of " + plan.steps().size() + " steps would change something; dry run, nothing was changed");
  }
}
