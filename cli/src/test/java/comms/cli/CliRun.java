package comms.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the real command line in-process: arguments, stdin and environment in; exit code, stdout, stderr out. */
public final class CliRun {
  /** The sample contracts at the repository root. */
  public static final Path SAMPLE_BINDINGS = Path.of("..", "bindings").toAbsolutePath().normalize();

  /** The sample webhook signing secret examples/engagement/events.jsonl is signed with (not a real one). */
  public static final String SAMPLE_WEBHOOK_SECRET = "whsec_Y29tbXMtc2FtcGxlLXNlY3JldC1ub3QtcmVhbA==";

  private final Map<String, String> env = new HashMap<>();
  private InputStream stdin = new ByteArrayInputStream(new byte[0]);

  /** What one run produced. */
  public record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  public CliRun(Path outbox) {
    env.put("COMMS_BINDINGS", SAMPLE_BINDINGS.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("NO_COLOR", "1");
    env.put("COMMS_RESEND_WEBHOOK_SECRET", SAMPLE_WEBHOOK_SECRET);
  }

  public CliRun env(String k, String v) {
    env.put(k, v);
    return this;
  }

  public CliRun bindings(Path dir) {
    return env("COMMS_BINDINGS", dir.toString());
  }

  public CliRun stdin(String text) {
    stdin = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public CliRun stdin(InputStream in) {
    stdin = in;
    return this;
  }

  public Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Comms.run(stdin, out, err, env, args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A writable copy of the sample bindings, for tests that break a contract. */
  public static Path copyBindings(Path into) {
    try {
      Path dest = into.resolve("bindings");
      try (Stream<Path> s = Files.walk(SAMPLE_BINDINGS)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path t = dest.resolve(SAMPLE_BINDINGS.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(t);
          } else {
            Files.copy(p, t);
          }
        }
      }
      return dest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A writable copy of the sample bindings switched to live-pilot, with Microsoft Graph's base_url
   * and authority_url pointing at test servers and retries that wait milliseconds, not seconds.
   */
  public static Path livePilotBindings(Path into, String graphBaseUrl, String authorityUrl) {
    Path b = copyBindings(into);
    edit(b, "communications.stack.contract.yaml", "mode: simulation", "mode: live-pilot");
    edit(b, "communications.providers.contract.yaml", "base_url: https://graph.microsoft.com/v1.0", "base_url: " + graphBaseUrl);
    edit(
        b,
        "communications.providers.contract.yaml",
        "authority_url: https://login.microsoftonline.com",
        "authority_url: " + authorityUrl + "\n    connect_timeout_ms: 2000\n    read_timeout_ms: 15000");
    edit(b, "communications.delivery.contract.yaml", "base_delay_ms: 500", "base_delay_ms: 1");
    return b;
  }

  /** Replaces the first occurrence of {@code from} in a bindings file, failing if it is absent. */
  public static void edit(Path bindings, String file, String from, String to) {
    try {
      Path p = bindings.resolve(file);
      String s = Files.readString(p);
      if (!s.contains(from)) {
        throw new AssertionError(file + " does not contain: " + from);
      }
      Files.writeString(p, s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
