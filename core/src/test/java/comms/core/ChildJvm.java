package comms.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a test main class in a separate JVM on this test run's classpath: real multi-process contention. */
public final class ChildJvm {
  private ChildJvm() {}

  /** A finished child: exit code and everything it printed. */
  public record Result(int exit, String out) {}

  public static Process start(Class<?> main, Path workDir, String... args) throws IOException {
    return start(main, workDir, java.util.Map.of(), args);
  }

  /** As {@link #start(Class, Path, String...)}, with {@code env} added to the child's environment (a store password). */
  public static Process start(Class<?> main, Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived children: the quickest start on a small shared machine.
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx64m");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }

  public static Result await(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 120 s; output so far:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }
}
