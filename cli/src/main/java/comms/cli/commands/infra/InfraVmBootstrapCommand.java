package comms.cli.commands.infra;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.infra.InfraPlanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms infra.vm.bootstrap --dry-run`: the plan for a target's mail server and its DNS records. */
@ApprovalGated
@Command(
    name = "infra.vm.bootstrap",
    description = {
      "Plan a mail server and its DNS records (dry run).",
      "After the same checks as infra.vm.provision, lists the mail server's configuration (domain, listeners with their ports, TLS, DKIM key, MTA-STS policy) and the DNS records the domain needs: MX, SPF, DKIM, DMARC at the pilot policy p=none, MTA-STS and TLS-RPT. They are checked offline against bindings/zones/DOMAIN.zone when it exists; a missing or wrong record is a step. No DNS query is sent.",
      "Only --dry-run is allowed in this version: without it the run is refused (exit 2). Each dry run leaves a receipt."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms infra.vm.bootstrap --target communications-stack \\",
      "      --profile spine-ready-v1 --vm-id 214 --dry-run",
      "  bin/ops cap run infra.vm.bootstrap --target communications-stack \\",
      "      --profile spine-ready-v1 --vm-id 214 --dry-run --output yaml"
    })
public final class InfraVmBootstrapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin InfraPlanOptions options;

  @Override
  public Integer call() {
    return options.run(App.of(spec), InfraPlanner::bootstrap);
  }
}
