package comms.cli.commands.infra;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.infra.InfraPlan;
import comms.core.infra.InfraPlanner;
import picocli.CommandLine.Option;

/** The options infra.vm.provision and infra.vm.bootstrap share, and the one way both run: dry run or refuse. */
public final class InfraPlanOptions {
  @Option(names = "--target", required = true, paramLabel = "NAME", description = "A target in infra.targets.yaml, e.g. communications-stack.")
  String target;

  @Option(names = "--profile", required = true, paramLabel = "NAME", description = "The profile (infra.profiles.yaml) the target must use.")
  String profile;

  @Option(names = "--vm-id", required = true, paramLabel = "ID", description = "The VM id the target must have.")
  int vmId;

  @Option(names = "--dry-run", description = "Plan only. Required: nothing is changed in this version.")
  boolean dryRun;

  @Option(names = "--execute", description = "Reserved for production provisioning; refused (exit 2) in this version.")
  boolean execute;

  /** Refuses a run that is not a dry run, then plans with {@code planner}, notes the plan for the receipt and renders it. */
  int run(App app, java.util.function.BiFunction<comms.core.contract.Bindings, InfraPlanner.Request, InfraPlan> planner) {
    if (execute || !dryRun) {
      throw new CommsException(ExitCode.USAGE, InfraPlanner.OUT_OF_SCOPE);
    }
    InfraPlan plan = planner.apply(app.bindings(), new InfraPlanner.Request(target, profile, vmId));
    InfraPlanView view = new InfraPlanView(plan);
    app.mode("dry-run");
    app.approval("not-asked");
    app.receiptSection("plan", view.tree());
    app.render(view);
    return ExitCode.OK.code();
  }
}
