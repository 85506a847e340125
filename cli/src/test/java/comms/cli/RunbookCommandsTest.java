package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import comms.core.verify.RunbookCommands;
import java.nio.file.Path;
import java.util.List;
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
  /** A daytime instant in US Central time, so quiet hours do not defer the runbook's sends. */
  static final String DAYTIME = "2026-11-18T17:00:00Z";

  @TempDir static Path tmp;

  @TestFactory
  Stream<DynamicTest> everyRunbookCommandRuns() {
    List<RunbookCommands.Step> steps = RunbookCommands.read(RUNBOOKS);
    assertFalse(steps.isEmpty(), "no runbook commands found in " + RUNBOOKS);
    Path outbox = tmp.resolve("outbox");
    return steps.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.file().getFileName() + ":" + s.line() + ": " + s.text(),
                    () -> {
                      CliRun cli = new CliRun(outbox).env("COMMS_NOW", DAYTIME);
                      if (s.stdin() != null) {
                        cli.stdin(s.stdin());
                      }
                      CliRun.Result r = cli.run(s.args().toArray(String[]::new));
                      assertEquals(s.exit(), r.exit(), () -> s.where() + " " + s.text() + "\n" + r);
                    }));
  }
}
