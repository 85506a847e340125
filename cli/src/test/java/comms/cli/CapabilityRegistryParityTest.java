package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import comms.core.contract.Bindings;
import comms.core.contract.CapabilityRegistry;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The capability registry and the program's commands match both ways. */
class CapabilityRegistryParityTest {
  @Test
  void everyCommandIsRegisteredAndEveryCapabilityIsACommand() {
    App app = new App(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
    Set<String> commands = new TreeSet<>(Comms.commandLine(app).getSubcommands().keySet());
    commands.removeAll(CommsCommand.META_COMMANDS);
    CapabilityRegistry registry = Bindings.open(CliRun.SAMPLE_BINDINGS).capabilities();
    Set<String> registered = new TreeSet<>();
    registry.capabilities().forEach(c -> registered.add(c.command()));
    assertEquals(registered, commands, "bindings/communications.capabilities.yaml and the comms commands differ");
  }
}
