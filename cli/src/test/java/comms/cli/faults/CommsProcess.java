package comms.cli.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A comms (or harness worker) process in its own JVM on this test run's classpath: the real entry
 * point, real stdin/stdout/stderr pipes, a real exit code, and a real SIGKILL when a test kills it.
 */
final class CommsProcess {
  /** The main class of the comms command line. */
  static final String COMMS_MAIN = "comms.cli.Main";

  private final List<String> command = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private byte[] stdin = new byte[0];
  private long stdinDelayMs;
  private boolean keepStdinOpen;
  private final List<String> wrapper = new ArrayList<>();

  private CommsProcess(String main, List<String> args) {
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived children on a small shared machine: the quickest start.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xshare:auto", "-cp", classpath(), main));
    command.addAll(args);
  }

  /** `comms ARGS…` in a child JVM. */
  static CommsProcess comms(List<String> args) {
    return new CommsProcess(COMMS_MAIN, args);
  }

  /** A harness worker main class in a child JVM. */
  static CommsProcess main(Class<?> main, List<String> args) {
    return new CommsProcess(main.getName(), args);
  }

  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  CommsProcess env(Map<String, String> vars) {
    env.putAll(vars);
    return this;
  }

  CommsProcess env(String k, String v) {
    env.put(k, v);
    return this;
  }

  CommsProcess stdin(byte[] bytes) {
    stdin = bytes.clone();
    return this;
  }

  CommsProcess stdin(String text) {
    return stdin(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes stdin only after this many milliseconds (a person answering slowly). */
  CommsProcess stdinDelay(long ms) {
    stdinDelayMs = ms;
    return this;
  }

  /** Leaves stdin open after writing (a terminal nobody types into); the default closes it. */
  CommsProcess keepStdinOpen() {
    keepStdinOpen = true;
    return this;
  }

  /** Runs the JVM under a wrapper command, e.g. {@code unshare -m sh -c '… exec "$@"' sh}. */
  CommsProcess wrappedIn(List<String> prefix) {
    wrapper.addAll(prefix);
    return this;
  }

  Running start() {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("COMMS_") || k.equals("SPINE_OUTBOX"));
    pb.environment().put("NO_COLOR", "1");
    pb.environment().putAll(env);
    try {
      return new Running(pb.start(), stdin, stdinDelayMs, keepStdinOpen);
    } catch (IOException e) {
      throw new AssertionError("cannot start " + cmd.get(0) + ": " + e, e);
    }
  }

  /** Starts and waits (at most two minutes) for the process to end. */
  Result run() {
    return start().await(120);
  }

  /** What a finished process did; {@code killed} when the test killed it. */
  record Result(int exit, String out, String err, boolean killed) {
    @Override
    public String toString() {
      return "exit " + exit + (killed ? " (killed)" : "") + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A started process: its output collected as it comes, killable at any moment. */
  static final class Running {
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;
    private volatile boolean killed;

    private Running(Process p, byte[] stdin, long delayMs, boolean keepOpen) {
      this.process = p;
      outPump = pump(p.getInputStream(), out);
      errPump = pump(p.getErrorStream(), err);
      Thread writer =
          new Thread(
              () -> {
                try {
                  if (delayMs > 0) {
                    Thread.sleep(delayMs);
                  }
                  OutputStream o = p.getOutputStream();
                  o.write(stdin);
                  o.flush();
                  if (!keepOpen) {
                    o.close();
                  }
                } catch (IOException | InterruptedException e) {
                  // The process stopped reading (it had its answer, or it died): what a pipe does.
                }
              },
              "stdin");
      writer.setDaemon(true);
      writer.start();
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[8192];
                try {
                  for (int n; (n = in.read(b)) >= 0; ) {
                    synchronized (sink) {
                      sink.write(b, 0, n);
                      sink.notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // The process is gone.
                }
              },
              "pump");
      t.setDaemon(true);
      t.start();
      return t;
    }

    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }

    String out() {
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8);
      }
    }

    String err() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits until stdout has a line matching {@code wanted}; false when the process ended or time ran out first. */
    boolean awaitLine(Predicate<String> wanted, long timeoutMs) {
      long deadline = System.currentTimeMillis() + timeoutMs;
      synchronized (out) {
        while (true) {
          if (out.toString(StandardCharsets.UTF_8).lines().anyMatch(wanted)) {
            return true;
          }
          long left = deadline - System.currentTimeMillis();
          if (left <= 0 || !process.isAlive() && !outPump.isAlive()) {
            return false;
          }
          try {
            out.wait(Math.min(left, 50));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
    }

    /** SIGKILL on Linux (Process.destroyForcibly): no shutdown hook, no finally block, no flush. */
    Result kill() {
      killed = true;
      process.destroyForcibly();
      return await(60);
    }

    Result await(long seconds) {
      try {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
          throw new AssertionError("process did not finish in " + seconds + " s and was killed:\n--- stdout\n" + out() + "--- stderr\n" + err());
        }
        outPump.join(10_000);
        errPump.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      return new Result(process.exitValue(), out(), err(), killed);
    }
  }
}
