package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.verify.RunbookCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 12, item 12: every command's --help fits 80 columns, its descriptions are whole sentences
 * (picocli wraps them; nothing is wrapped by hand), its summary in the command list is one whole
 * sentence on one line, the exit codes come from {@link ExitCode}, and its Examples run as written
 * against the sample bindings (dry runs, or `echo yes |` for an approved one).
 */
class HelpTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String DAYTIME = "2026-11-18T17:00:00Z";

  @TempDir static Path tmp;
  static Path seeded;

  /** An outbox holding what the examples refer to: Dana's launched Welcome sequence and her shared Renewal snippet. */
  @BeforeAll
  static void seed() {
    seeded = tmp.resolve("seeded");
    CliRun cli = new CliRun(seeded).env("COMMS_NOW", DAYTIME);
    String seq = ROOT.resolve("examples/sequences/welcome.sequence.yaml").toString();
    String csv = ROOT.resolve("examples/sequences/welcome.recipients.csv").toString();
    for (String[] step :
        List.of(
            new String[] {"sequence.create", "--file", seq, "--execute"},
            new String[] {"sequence.add-recipients", "Welcome", "--file", csv, "--execute"},
            new String[] {"sequence.launch", "Welcome", "--execute"},
            new String[] {"snippet.create", "--name", "Renewal", "--channel", "email", "--subject", "Your renewal, {{first_name}}", "--file",
                ROOT.resolve("examples/snippets/renewal.txt").toString(), "--variables", "first_name,plan_name", "--shared", "--execute"})) {
      CliRun.Result r = cli.stdin("yes\n").run(step);
      assertEquals(0, r.exit(), () -> String.join(" ", step) + "\n" + r);
    }
  }

  /** Every command line whose --help we read: the root, each command, and each command under those. */
  static List<List<String>> commandPaths() {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    walk(Comms.commandLine(app()), new ArrayList<>(), out);
    return out;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      walk(e.getValue(), p, out);
    }
  }

  static App app() {
    java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
    return new App(java.io.InputStream.nullInputStream(), sink, sink, Map.of());
  }

  static CommandSpec spec(List<String> path) {
    CommandLine cl = Comms.commandLine(app());
    for (String p : path) {
      cl = cl.getSubcommands().get(p);
    }
    return cl.getCommandSpec();
  }

  static String help(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CliRun.Result r = new CliRun(tmp.resolve("help")).run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    return r.out();
  }

  /** The lines of the Examples section, as runbook commands. */
  static List<RunbookCommands.Step> examples(List<String> path, String help) {
    int at = help.indexOf("\nExamples:\n");
    assertTrue(at >= 0, () -> "comms " + String.join(" ", path) + " --help has no Examples section:\n" + help);
    String section = help.substring(at + "\nExamples:\n".length());
    List<String> lines = new ArrayList<>();
    for (String l : section.split("\n", -1)) {
      if (l.isBlank()) {
        break;
      }
      assertTrue(l.startsWith("  "), () -> "an example line is indented: '" + l + "'");
      lines.add(l.substring(2));
    }
    assertFalse(lines.isEmpty(), "no examples under Examples:");
    return RunbookCommands.parse(Path.of("comms " + String.join(" ", path) + " --help"), "```bash\n" + String.join("\n", lines) + "\n```");
  }

  @TestFactory
  Stream<DynamicTest> everyHelpFits80ColumnsAndItsExamplesRun() {
    return commandPaths().stream()
        .map(
            path ->
                DynamicTest.dynamicTest(
                    "comms " + String.join(" ", path) + " --help",
                    () -> {
                      String help = help(path);
                      for (String line : help.split("\n")) {
                        assertTrue(line.codePointCount(0, line.length()) <= 80, () -> "longer than 80 columns: '" + line + "'");
                      }
                      assertTrue(help.contains("\nExit codes:\n"), help);
                      for (RunbookCommands.Step s : examples(path, help)) {
                        String command = path.isEmpty() ? s.command() : String.join(" ", path);
                        assertTrue(
                            path.isEmpty() || String.join(" ", s.args()).contains(command),
                            () -> "an example of " + command + " runs something else: " + s.text());
                        assertTrue(
                            !s.args().contains("--execute") || "yes\n".equals(s.stdin()),
                            () -> "an example that executes must be approved with echo yes |: " + s.text());
                        CliRun.Result r = run(s);
                        assertEquals(s.exit(), r.exit(), () -> s.text() + "\n" + r);
                      }
                    }));
  }

  /** Runs one example on a copy of the seeded outbox, from the repository root as the README's are. */
  static CliRun.Result run(RunbookCommands.Step s) {
    Path outbox = copy(seeded, tmp.resolve("run-" + System.nanoTime()));
    CliRun cli = new CliRun(outbox).env("COMMS_NOW", DAYTIME);
    if (s.stdin() != null) {
      cli.stdin(s.stdin());
    }
    List<String> args = new ArrayList<>();
    for (String a : s.args()) {
      args.add(a.startsWith("examples/") ? ROOT.resolve(a).toString() : a);
    }
    return cli.run(args.toArray(String[]::new));
  }

  static Path copy(Path from, Path to) {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void descriptionsAreWholeSentencesThatPicocliWraps() {
    for (List<String> path : commandPaths()) {
      CommandSpec spec = spec(path);
      String who = "comms " + String.join(" ", path);
      String[] description = spec.usageMessage().description();
      assertTrue(description.length > 0, who + " has no description");
      for (String d : description) {
        assertFalse(d.contains("\n") || d.contains("%n"), () -> who + ": a description element holds a line break: " + d);
        assertFalse(d.startsWith(" "), () -> who + ": a description element is indented by hand: " + d);
        // A whole sentence, or one that introduces the paragraphs after it.
        assertTrue(d.endsWith(".") || d.endsWith(".)") || d.endsWith(":"), () -> who + ": a description element is not a whole sentence: " + d);
      }
      for (OptionSpec o : spec.options()) {
        for (String d : o.description()) {
          assertFalse(d.contains("\n") || d.contains("%n"), () -> who + " " + o.longestName() + ": a line break in its description: " + d);
        }
      }
    }
  }

  @Test
  void theCommandListShowsOneWholeSentenceALine() {
    String help = help(List.of());
    String list = help.substring(help.indexOf("\nCommands:\n") + "\nCommands:\n".length(), help.indexOf("\nExit codes:\n"));
    for (String line : list.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      assertTrue(line.matches("  \\S+ +\\S.*\\."), () -> "a command summary that is not one sentence on one line: '" + line + "'\n" + list);
    }
  }

  @Test
  void theExitCodesComeFromTheEnum() {
    String help = help(List.of("send.preview"));
    for (ExitCode c : ExitCode.values()) {
      assertTrue(help.contains(String.format("%2d", c.code()) + "   " + c.meaning()), () -> c + " missing:\n" + help);
    }
    assertTrue(CommsCommand.class.getAnnotation(CommandLine.Command.class).exitCodeList().length == 0, "a second copy of the exit codes in @Command");
  }

  @Test
  void aWideTerminalGetsAWideHelp() {
    CliRun.Result r = new CliRun(tmp.resolve("wide")).env("COLUMNS", "120").run("sequence.add-recipients", "--help");
    assertTrue(r.out().lines().anyMatch(l -> l.length() > 80), r::toString);
  }
}
