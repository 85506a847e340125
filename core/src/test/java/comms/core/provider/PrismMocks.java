package comms.core.provider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the Prism mock servers generated from the providers' official API descriptions
 * ({@code shared/peers/mocks start plain} and {@code … start errors}) once per test JVM, and stops
 * the ones it started when the test run ends. Variants already listening (started by hand or by
 * another run) are used as they are and left running. Prism installs itself from the npm registry
 * on first use, which is slow once.
 */
public final class PrismMocks implements BeforeAllCallback {
  public static final String TWILIO = "http://127.0.0.1:4010";
  public static final String RESEND = "http://127.0.0.1:4011";
  public static final String GRAPH = "http://127.0.0.1:4012";
  /** The Gmail slice (users.messages, history, watch), served on 4013 by both variants. */
  public static final String GMAIL = "http://127.0.0.1:4013";
  /** The errors variants answer 4xx/5xx in each provider's shape when asked with {@code Prefer: code=NNN}. */
  public static final String TWILIO_ERRORS = "http://127.0.0.1:4020";
  public static final String RESEND_ERRORS = "http://127.0.0.1:4021";
  /** The Graph slice already describes 429 and 5xx, so one Graph mock serves both variants. */
  public static final String GRAPH_ERRORS = GRAPH;

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PrismMocks.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context).ensure("plain", "errors");
  }

  /** Only the plain variant, for tests that need no error answers (saves starting the errors mocks). */
  public static final class Plain implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      running(context).ensure("plain");
    }
  }

  private static Running running(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent("running", k -> new Running(script()), Running.class);
  }

  /** The script {@code shared/peers/mocks} (see {@link comms.core.SharedPeers} for where it is looked for). */
  static Path script() {
    return comms.core.SharedPeers.file("mocks");
  }

  /** The variants this JVM started, stopped when the root test context closes. */
  static final class Running implements AutoCloseable {
    private final Path script;
    private final List<Path> started = new ArrayList<>();

    Running(Path script) {
      this.script = script;
    }

    private final java.util.Set<String> ready = new java.util.HashSet<>();
    private Path runs;
    private boolean hooked;

    /** Starts each variant not yet listening (both at once), and waits until they answer. */
    synchronized void ensure(String... variants) {
      try {
        if (runs == null) {
          runs = Files.createTempDirectory("comms-prism-");
        }
        List<Process> pending = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String v : variants) {
          if (ready.contains(v)) {
            continue;
          }
          ready.add(v);
          if (!listening(ports(v))) {
            dirs.add(runs.resolve(v));
            pending.add(mocks(runs.resolve(v), "start", v));
          }
        }
        if (!pending.isEmpty() && !hooked) {
          hooked = true;
          Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        }
        for (int i = 0; i < pending.size(); i++) {
          Process p = pending.get(i);
          started.add(dirs.get(i));
          if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroy();
            throw new AssertionError("the Prism mocks did not start:\n" + log(dirs.get(i)));
          }
        }
        for (String v : variants) {
          if (!listening(ports(v))) {
            throw new AssertionError("the Prism mocks (" + v + ") started but do not listen on " + java.util.Arrays.toString(ports(v)));
          }
        }
      } catch (IOException e) {
        throw new AssertionError("cannot run " + script + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while starting the Prism mocks", e);
      }
    }

    private static int[] ports(String variant) {
      return variant.equals("errors") ? new int[] {4020, 4021, 4012, 4013} : new int[] {4010, 4011, 4012, 4013};
    }

    private Process mocks(Path run, String... args) throws IOException {
      Files.createDirectories(run);
      List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(run.resolve("mocks.out").toFile());
      pb.environment().put("MOCKS_RUN", run.toString());
      return pb.start();
    }

    /**
     * A mock that could not bind (the errors variant's Graph shares port 4012 with the plain one)
     * leaves a pid file for a process that is gone; drop it so `stop` never signals a reused pid.
     */
    private static void forgetDead(Path run) throws IOException {
      try (var files = Files.list(run)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.toString().endsWith(".pid")) {
            String pid = Files.readString(f).trim();
            boolean prism =
                pid.matches("\\d+")
                    && ProcessHandle.of(Long.parseLong(pid))
                        .filter(ProcessHandle::isAlive)
                        .flatMap(h -> h.info().commandLine())
                        .map(c -> c.contains("prism"))
                        .orElse(false);
            if (!prism) {
              Files.delete(f);
            }
          }
        }
      }
    }

    private static String log(Path run) {
      StringBuilder sb = new StringBuilder();
      try (var files = Files.list(run)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.toString().endsWith(".out") || f.toString().endsWith(".log")) {
            String s = Files.readString(f, StandardCharsets.UTF_8);
            sb.append("--- ").append(f.getFileName()).append('\n').append(s.length() > 2000 ? s.substring(s.length() - 2000) : s);
          }
        }
      } catch (IOException e) {
        sb.append(e);
      }
      return sb.toString();
    }

    @Override
    public synchronized void close() {
      for (Path run : started) {
        try {
          forgetDead(run);
          Process p = mocks(run, "stop");
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
          // best effort: the pid files stay in the temp folder for a manual `mocks stop`
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      started.clear();
    }
  }

  static boolean listening(int... ports) {
    for (int port : ports) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
