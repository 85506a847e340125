package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fenced shell commands of every runbook in runbooks/ against the sample bindings in
 * simulation, in order and in one outbox, so a runbook can never drift from the program. A command
 * may end with a comment {@code # exit N} when it is expected to exit N.
 */
class RunbookCommandsTest {
  static final Path RUNBOOKS = Path.of("..", "runbooks").toAbsolutePath().normalize();
  static final Pattern FENCE = Pattern.compile("```(?:bash|sh|shell)\\n(.*?)```", Pattern.DOTALL);
  static final Pattern EXPECT = Pattern.compile("#\\s*exit\\s+(\\d)\\s*$");
  /** A daytime instant in US Central time, so quiet hours do not defer the runbook's sends. */
  static final String DAYTIME = "2026-11-18T17:00:00Z";

  @TempDir static Path tmp;

  /** One runbook command: its words, the stdin piped to it, and the exit it must give. */
  record Step(Path file, String line, List<String> words, String stdin, int exit) {}

  @TestFactory
  Stream<DynamicTest> everyRunbookCommandRuns() throws IOException {
    List<Step> steps = new ArrayList<>();
    try (Stream<Path> files = Files.list(RUNBOOKS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        steps.addAll(steps(f));
      }
    }
    assertFalse(steps.isEmpty(), "no runbook commands found in " + RUNBOOKS);
    Path outbox = tmp.resolve("outbox");
    return steps.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.file().getFileName() + ": " + s.line(),
                    () -> {
                      CliRun cli = new CliRun(outbox).env("COMMS_NOW", DAYTIME);
                      if (s.stdin() != null) {
                        cli.stdin(s.stdin());
                      }
                      CliRun.Result r = cli.run(s.words().toArray(String[]::new));
                      assertEquals(s.exit(), r.exit(), () -> s.line() + "\n" + r);
                    }));
  }

  static List<Step> steps(Path file) throws IOException {
    String text = Files.readString(file);
    List<Step> out = new ArrayList<>();
    Matcher m = FENCE.matcher(text);
    while (m.find()) {
      String block = m.group(1).replace("\\\n", " ");
      for (String raw : block.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int exit = 0;
        Matcher e = EXPECT.matcher(line);
        if (e.find()) {
          exit = Integer.parseInt(e.group(1));
          line = line.substring(0, e.start()).strip();
        }
        List<String> words = ShellWords.split(line);
        String stdin = null;
        int pipe = words.indexOf("|");
        if (pipe >= 0) {
          assertTrue(pipe == 2 && words.get(0).equals("echo"), "only `echo WORD | comms …` pipes are supported: " + line);
          stdin = words.get(1) + "\n";
          words = words.subList(pipe + 1, words.size());
        }
        String launcher = words.get(0);
        assertTrue(
            launcher.equals("comms") || launcher.equals("bin/comms") || launcher.equals("./bin/comms")
                || launcher.equals("bin/ops") || launcher.equals("./bin/ops"),
            "runbook commands start with comms, bin/comms or bin/ops: " + line);
        out.add(new Step(file, line, new ArrayList<>(words.subList(1, words.size())), stdin, exit));
      }
    }
    return out;
  }

  /** Splits a shell line into words the way bash would for the quoting runbooks use. */
  static final class ShellWords {
    static List<String> split(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder w = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\'') {
          int end = line.indexOf('\'', i + 1);
          w.append(line, i + 1, end);
          i = end;
          inWord = true;
        } else if (c == '"') {
          int j = i + 1;
          while (line.charAt(j) != '"') {
            if (line.charAt(j) == '\\' && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
              j++;
            }
            w.append(line.charAt(j));
            j++;
          }
          i = j;
          inWord = true;
        } else if (c == ' ' || c == '\t') {
          if (inWord) {
            words.add(w.toString());
            w.setLength(0);
            inWord = false;
          }
        } else if (c == '|' && !inWord) {
          words.add("|");
        } else {
          w.append(c);
          inWord = true;
        }
      }
      if (inWord) {
        words.add(w.toString());
      }
      return words;
    }
  }
}
