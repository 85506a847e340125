package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher as an operator runs it: a separate process, real stdin, stdout, stderr and exit code. */
class LauncherIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Proc(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  Proc run(String launcher, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("bin").resolve(launcher).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    pb.environment().put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
    pb.environment().put("NO_COLOR", "1");
    pb.environment().remove("COMMS_BINDINGS");
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void stackStatusOnSampleContracts() throws Exception {
    Proc p = run("comms", null, "stack.status");
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().contains("checks pass"), p::toString);
  }

  @Test
  void opsAliasRunsCapabilityByName() throws Exception {
    Proc p = run("ops", null, "cap", "run", "communications.policy.status", "--output", "json");
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().trim().startsWith("{"), p::toString);
    assertTrue(p.out().contains("\"quiet_hours\""), p::toString);
  }

  @Test
  void usageErrorExitsTwoWithMessageOnStderr() throws Exception {
    Proc p = run("comms", null, "no.such.command");
    assertEquals(2, p.exit(), p::toString);
    assertEquals("", p.out());
    assertTrue(p.err().contains("no.such.command"), p::toString);
  }
}
