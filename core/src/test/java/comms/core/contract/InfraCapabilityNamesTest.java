package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.verify.RunbookCommands;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The spine's infra.* capabilities: their command is their whole name, both ways and in runbooks. */
class InfraCapabilityNamesTest {
  @Test
  void namesAndCommands() {
    assertEquals("stack.status", CapabilityRegistry.commandOf("communications.stack.status"));
    assertEquals("infra.vm.provision", CapabilityRegistry.commandOf("infra.vm.provision"));
    assertEquals("communications.stack.status", CapabilityRegistry.nameOf("stack.status"));
    assertEquals("infra.vm.bootstrap", CapabilityRegistry.nameOf("infra.vm.bootstrap"));
  }

  @Test
  void theSampleRegistryHasBothAsMutatingWithManualApproval() {
    CapabilityRegistry r = Bindings.open(Path.of("..", "bindings")).capabilities();
    for (String name : new String[] {"infra.vm.provision", "infra.vm.bootstrap"}) {
      CapabilityRegistry.Capability c = r.byName(name).orElseThrow();
      assertEquals(name, c.command());
      assertTrue(c.mutating());
      assertEquals("manual", c.approval());
    }
  }

  @Test
  void aRunbookLineThroughBinOpsCountsAsTheInfraCommand() {
    var steps = RunbookCommands.parse(Path.of("x.md"),
        "```bash\n./bin/ops cap run infra.vm.provision --target t --dry-run\nbin/ops cap run communications.stack.status\n```\n");
    assertEquals("infra.vm.provision", steps.get(0).command());
    assertEquals("stack.status", steps.get(1).command());
  }
}
