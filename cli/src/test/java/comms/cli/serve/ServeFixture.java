package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import comms.cli.App;
import comms.cli.CliRun;
import comms.cli.TestApps;
import comms.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real comms serve on a free loopback port over a fresh outbox with the sample contracts, the CLI on
 * the same outbox and clock to set things up, and a java.net.http client to call it.
 */
final class ServeFixture implements AutoCloseable {
  static final String NOW = "2026-11-23T15:00:00Z"; // a Monday, 10:00 in New York
  static final String SECRET = "test-secret-of-at-least-thirty-two-bytes-0123456789";
  static final String ADMIN = "dana@lakesideprint.com";
  static final String OPERATOR = "sam@lakesideprint.com";
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  final Path outbox;
  final Map<String, String> env = new HashMap<>();
  final WorkerServer server;
  final String base;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final BearerTokens tokens;
  final StringWriter serverErr = new StringWriter();
  private final App app;

  ServeFixture(Path dir) throws IOException {
    this(dir, CliRun.SAMPLE_BINDINGS);
  }

  ServeFixture(Path dir, Path bindings) throws IOException {
    this(dir, bindings, false);
  }

  /** {@code behindTls}: as comms serve --behind-tls-proxy (session cookies Secure). */
  ServeFixture(Path dir, Path bindings, boolean behindTls) throws IOException {
    this(dir, bindings, behindTls, Map.of());
  }

  /** {@code extraEnv}: more of the server's (and the CLI's) environment, such as COMMS_STORE_URL and its password for a team store. */
  ServeFixture(Path dir, Path bindings, boolean behindTls, Map<String, String> extraEnv) throws IOException {
    this.outbox = dir.resolve("outbox");
    env.putAll(extraEnv);
    env.put("COMMS_BINDINGS", bindings.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_NOW", NOW);
    env.put("COMMS_JWT_SECRET", SECRET);
    env.put("NO_COLOR", "1");
    env.put("COMMS_RESEND_WEBHOOK_SECRET", CliRun.SAMPLE_WEBHOOK_SECRET);
    app = TestApps.app(env, new PrintWriter(new StringWriter()), new PrintWriter(serverErr, true));
    tokens = BearerTokens.from(env, clock()).with(app.bindings().operators().apiTokens());
    server = WorkerServer.start(app, new WorkerServer.Settings(new InetSocketAddress("127.0.0.1", 0), behindTls, WorkerServer.Settings.DEFAULT_MAX_BODY, 8, Duration.ofSeconds(5)), tokens);
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  static Clock clock() {
    return Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC);
  }

  /** The CLI on the same outbox, contracts and clock. */
  CliRun cli() {
    CliRun c = new CliRun(outbox);
    env.forEach(c::env);
    return c;
  }

  /** Runs a command that must succeed; its stdout. */
  String ok(String stdin, String... args) {
    CliRun.Result r = stdin == null ? cli().run(args) : cli().stdin(stdin).run(args);
    assertEquals(0, r.exit(), r::toString);
    return r.out();
  }

  String token(String email) {
    return tokens.mint(email, BearerTokens.Scope.API, Duration.ofMinutes(15));
  }

  /** An answer: status, headers, body, and the body as JSON when it is. */
  record Answer(int status, HttpResponse<String> response) {
    String body() {
      return response.body();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> error() {
      return (Map<String, Object>) json().get("error");
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + response.body();
    }
  }

  Answer get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  Answer post(String path, String token, Object body, String... headers) {
    return postRaw(path, token, body instanceof String s ? s : Json.write(body), headers);
  }

  Answer postRaw(String path, String token, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  Answer send(HttpRequest r) {
    try {
      HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
      return new Answer(resp.statusCode(), resp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The sample sequence file as the JSON document the API takes. */
  static Map<String, Object> welcome(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("name", name);
    m.put("zone", "America/New_York");
    m.put("window", Map.of("start", "08:00", "end", "20:00"));
    m.put("holidays", Map.of("country", "US"));
    m.put("stages", List.of(
        Map.of("medium", "email", "delay", "0", "trigger", "always", "template", "welcome_intro.email"),
        Map.of("medium", "email", "delay", "3d", "trigger", "no_reply", "template", "welcome_followup.email")));
    return m;
  }

  /** {@code n} distinct valid recipients with the variables the sample templates use. */
  static List<Map<String, Object>> recipients(int n, String prefix) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Map.of("email", prefix + i + "@example.com", "first_name", "R" + i, "company", "Co " + i));
    }
    return out;
  }

  /** A new draft of {@code owner} with {@code n} recipients; its id. */
  String draftWith(String owner, String name, int n) {
    String t = token(owner);
    Answer made = post("/api/sequences", t, welcome(name));
    assertEquals(201, made.status(), made::toString);
    String id = (String) made.json().get("id");
    if (n > 0) {
      Answer added = post("/api/sequences/" + id + "/recipients", t, Map.of("recipients", recipients(n, name.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-")));
      assertEquals(200, added.status(), added::toString);
      assertEquals(n, ((List<?>) added.json().get("accepted")).size(), added::toString);
    }
    return id;
  }

  static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    app.close();
  }
}
