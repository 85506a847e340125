package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.commands.status.PolicyStatusCommand;
import comms.core.contract.Bindings;
import comms.core.contract.CapabilityRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The per-run command tree: a run that names one command reflects only it, and answers exactly as before. */
class CommandTreeTest {
  @TempDir Path tmp;

  /** Command lines whose every answer (exit code, stdout, stderr) must not depend on the tree. */
  static final List<String[]> LINES =
      List.of(
          new String[] {},
          new String[] {"--help"},
          new String[] {"--version"},
          new String[] {"policy.status"},
          new String[] {"policy.status", "--help"},
          new String[] {"policy.status", "-o", "json"},
          new String[] {"-o", "json", "policy.status"},
          new String[] {"-ojson", "policy.status"},
          new String[] {"--output=yaml", "policy.status"},
          new String[] {"-v", "policy.status", "--bogus"},
          new String[] {"policy.status", "extra"},
          new String[] {"polciy.status"},
          new String[] {"--bindings", "stack.status", "policy.status"},
          new String[] {"-o", "xml", "policy.status"},
          new String[] {"-vo", "json", "policy.status"},
          new String[] {"stack.status", "-o", "json"},
          new String[] {"mail.search"},
          new String[] {"mail.search", "--query", "*", "--top", "2"},
          new String[] {"templates.list", "--channel", "fax"},
          new String[] {"cap", "--help"},
          new String[] {"cap", "list"},
          new String[] {"cap", "run", "communications.policy.status", "-o", "json"},
          new String[] {"-o", "json", "cap", "run", "communications.templates.list"},
          new String[] {"completion", "bash"});

  record Answer(int exit, String out, String err) {}

  Answer run(BiFunction<App, String[], Integer> how, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    Map<String, String> env =
        Map.of("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString(), "COMMS_OUTBOX", tmp.toString(), "NO_COLOR", "1");
    int code = how.apply(new App(new ByteArrayInputStream(new byte[0]), o, e, env), args);
    o.flush();
    e.flush();
    return new Answer(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void perRunTreeAnswersExactlyLikeTheWholeTree() {
    for (String[] line : LINES) {
      Answer whole = run((app, a) -> Comms.commandLine(app).execute(a), line);
      Answer perRun = run(Comms::dispatch, line);
      assertEquals(whole, perRun, () -> "comms " + String.join(" ", line));
    }
  }

  @Test
  void aRunNamingOneCommandReflectsOnlyThatCommand() {
    App app = new App(new ByteArrayInputStream(new byte[0]), new PrintWriter(System.out), new PrintWriter(System.err), Map.of());
    CommandLine cl = CommandTree.forArgs(app, "-o", "json", "policy.status", "--help");
    assertEquals(List.of("policy.status"), List.copyOf(cl.getSubcommands().keySet()));
    assertEquals(CommsCommand.COMMANDS.size(), CommandTree.forArgs(app, "--help").getSubcommands().size());
  }

  @Test
  void findsTheCommandOnlyWhenCertain() {
    assertSame(PolicyStatusCommand.class, CommandTree.commandRun("policy.status"));
    assertSame(PolicyStatusCommand.class, CommandTree.commandRun("--bindings=x", "-v", "--outbox", "y", "-ojson", "policy.status"));
    assertNull(CommandTree.commandRun());
    assertNull(CommandTree.commandRun("--help", "policy.status"), "root options go to the whole tree");
    assertNull(CommandTree.commandRun("-vo", "json", "policy.status"), "clustered options: not certain");
    assertNull(CommandTree.commandRun("--bindings", "stack.status", "policy.status"), "a command name as a value");
    assertNull(CommandTree.commandRun("completion", "bash"), "completion lists the whole tree");
    assertNull(CommandTree.commandRun("no.such.command"));
  }

  @Test
  void commandsAreRegisteredInCommandsNotInTheAnnotation() {
    // A class listed in @Command(subcommands) is reflected on every run, and would be added twice.
    assertEquals(0, CommsCommand.class.getAnnotation(Command.class).subcommands().length,
        "register new commands in CommsCommand.COMMANDS, not in @Command(subcommands = ...)");
  }

  @Test
  void archiveTrainingRunsOnlyReadOnlyCapabilities() {
    CapabilityRegistry registry = new Bindings(CliRun.SAMPLE_BINDINGS).capabilities();
    for (String[] line : ArchiveTraining.COMMANDS) {
      if (line.length == 0 || line[0].startsWith("-") || line[0].equals("cap")) {
        continue;
      }
      registry
          .byCommand(line[0])
          .ifPresent(c -> assertTrue(!c.mutating(), "training must never run a mutating capability: " + c.name()));
    }
  }
}
