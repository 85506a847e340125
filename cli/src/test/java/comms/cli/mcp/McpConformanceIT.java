package comms.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.LauncherIT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Model Context Protocol's own conformance suite against the packaged launcher's
 * {@code comms mcp --listen}: {@code .ci/mcp-conformance} installs Node 22 and the suite from npm into
 * a project-local cache, runs the scenarios that apply to a real server and fails when one of them
 * fails (or a new scenario is not yet classified). Part of the test command, so {@code mvn verify}
 * proves the protocol as CI does.
 */
public class McpConformanceIT {
  @TempDir Path tmp;

  @Test
  void theConformanceSuitePassesEveryScenarioThatAppliesToARealServer() throws Exception {
    Path log = tmp.resolve("conformance.log");
    Process p =
        new ProcessBuilder("bash", LauncherIT.ROOT.resolve(".ci").resolve("mcp-conformance").toString())
            .directory(LauncherIT.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = p.waitFor(15, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "the conformance run did not end in 15 minutes:\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("server-initialize"), out);
  }
}
