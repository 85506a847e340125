package comms.cli.commands.infra;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.infra.InfraPlanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms infra.vm.provision --dry-run`: the plan for a target's VM; production provisioning is out of scope. */
@ApprovalGated
@Command(
    name = "infra.vm.provision",
    description = {
      "Plan a target's VM from its profile; dry run only.",
      "Checks the target in infra.targets.yaml against its profile in infra.profiles.yaml (VM id, profile, every service port open in the firewall, every mail listener's port) and lists the ordered steps: VM size and image, host name, packages, users, firewall, services; each with what it would change, why, and the contract line.",
      "Only --dry-run is allowed in this version: without it the run is refused (exit 2). A disagreement between target and profile is exit 3 with the line to fix. Each dry run leaves a receipt."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms infra.vm.provision --target communications-stack \\",
      "      --profile spine-ready-v1 --vm-id 214 --dry-run",
      "  bin/ops cap run infra.vm.provision --target communications-stack \\",
      "      --profile spine-ready-v1 --vm-id 214 --dry-run --output json"
    })
public final class InfraVmProvisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin InfraPlanOptions options;

  @Override
  public Integer call() {
    return options.run(App.of(spec), InfraPlanner::provision);
  }
}
