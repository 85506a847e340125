package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher as an operator runs it: a separate process, real stdin, stdout, stderr and exit code. */
public class LauncherIT {
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** What a launcher process did. */
  public record Proc(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  Proc run(String launcher, String stdin, String... args) throws IOException, InterruptedException {
    return launch(tmp, Map.of("COMMS_OUTBOX", tmp.resolve("outbox").toString()), stdin, launcher, args);
  }

  /**
   * Runs {@code bin/<launcher> args…} from the project root with {@code env} on top of this
   * environment minus every COMMS_ variable, {@code stdin} written and closed; output in {@code dir}.
   */
  public static Proc launch(Path dir, Map<String, String> env, String stdin, String launcher, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("bin").resolve(launcher).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("COMMS_"));
    pb.environment().put("NO_COLOR", "1");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
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
  void pipedYesApprovesAndConcurrentSendsKeepTheLogWhole() throws Exception {
    int n = 4;
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  ROOT.resolve("bin/comms").toString(), "send.execute", "--channel", "sms", "--message-type", "order_ready",
                  "--to", "+1312555010" + i, "--consent-state", "opted-in",
                  "--vars-json", "{\"customer_name\":\"C" + i + "\",\"order_number\":\"3002" + i + "\",\"pickup_window\":\"today\"}",
                  "--execute")
              .directory(ROOT.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(tmp.resolve("err" + i + ".txt").toFile());
      pb.environment().put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
      pb.environment().put("COMMS_NOW", "2026-11-18T17:00:00Z");
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write("yes\n".getBytes(StandardCharsets.UTF_8));
      }
      procs.add(p);
    }
    for (int i = 0; i < n; i++) {
      assertTrue(procs.get(i).waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, procs.get(i).exitValue(), Files.readString(tmp.resolve("err" + i + ".txt")));
    }
    List<String> lines = Files.readAllLines(tmp.resolve("outbox/communications/communications-delivery-log.jsonl"));
    assertEquals(n, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("{") && l.endsWith("}") && l.contains("\"status\":\"simulated\"")), lines::toString);
    Proc verify = run("comms", null, "delivery.log", "--verify");
    assertEquals(0, verify.exit(), verify::toString);
  }

  @Test
  void usageErrorExitsTwoWithMessageOnStderr() throws Exception {
    Proc p = run("comms", null, "no.such.command");
    assertEquals(2, p.exit(), p::toString);
    assertEquals("", p.out());
    assertTrue(p.err().contains("no.such.command"), p::toString);
  }

  @Test
  void aClosedStdinAtThePromptIsNoAnswer() throws Exception {
    // `<&-` closes descriptor 0; the JVM then opens a file of its own there, which must not read as a long answer.
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh", "-c", "exec \"$0\" \"$@\" <&-", ROOT.resolve("bin/comms").toString(),
                "mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "s", "--body", "b", "--execute")
            .directory(ROOT.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("COMMS_"));
    pb.environment().put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String err = Files.readString(tmp.resolve("err.txt"));
    assertEquals(5, p.exitValue(), err);
    assertTrue(err.contains("declined (no answer: stdin is closed"), err);
  }
}
