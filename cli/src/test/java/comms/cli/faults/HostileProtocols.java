package comms.cli.faults;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import comms.cli.App;
import comms.cli.Comms;
import comms.cli.TestApps;
import comms.cli.serve.BearerTokens;
import comms.cli.serve.WorkerServer;
import comms.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 23, hostile input over the two protocols: bearer tokens against a real {@code comms serve} on
 * loopback (every one a 401, the documented status; and a few hostile bodies with a good token: 400,
 * 413) and JSON-RPC lines on a real {@code comms mcp}'s stdin (parse errors -32700, invalid requests
 * -32600, unknown methods -32601, bad params -32602, and tool errors carrying the CLI's exit code).
 */
final class HostileProtocols implements AutoCloseable {
  static final String SECRET = "hostile-input-secret-of-at-least-thirty-two-bytes";
  private static final Instant NOW = Instant.parse(HostileStore.NOW);

  private final HostileStore store;
  private final App app;
  private final WorkerServer server;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HostileProtocols(HostileStore store) throws Exception {
    this.store = store;
    Map<String, String> env = new HashMap<>(store.env);
    env.put(BearerTokens.SECRET_ENV, SECRET);
    app = TestApps.app(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter(), true));
    BearerTokens tokens = BearerTokens.from(env, Clock.fixed(NOW, ZoneOffset.UTC));
    server = WorkerServer.start(app, new WorkerServer.Settings(new InetSocketAddress("127.0.0.1", 0), false, WorkerServer.Settings.DEFAULT_MAX_BODY, 4, Duration.ofSeconds(5)), tokens);
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @Override
  public void close() {
    server.close();
    app.close();
  }

  // ------------------------------------------------------------------ JWTs for comms serve

  private static JWTClaimsSet.Builder claims(String sub, Instant iat, Duration life) {
    return new JWTClaimsSet.Builder().subject(sub).claim("scope", "api").issueTime(iat == null ? null : Date.from(iat)).expirationTime(Date.from((iat == null ? NOW : iat).plus(life)));
  }

  private static String hs(JWSAlgorithm alg, String secret, JWTClaimsSet c) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), c);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String hs256(JWTClaimsSet c) throws Exception {
    return hs(JWSAlgorithm.HS256, SECRET, c);
  }

  List<HostileCase> tokens() throws Exception {
    String owner = HostileStore.OWNER;
    Duration life = Duration.ofMinutes(10);
    String good = hs256(claims(owner, NOW, life).build());
    String otherGood = hs256(claims("sam@lakesideprint.com", NOW, life).build());
    String[] g = good.split("\\.");
    List<HostileCase> out = new ArrayList<>();
    jwt(out, "no Authorization header", null);
    jwt(out, "Basic credentials", "Basic ZGFuYTpwYXNzd29yZA==");
    jwt(out, "Bearer and nothing", "Bearer ");
    jwt(out, "not a JWT", "Bearer abc");
    jwt(out, "three empty parts", "Bearer ..");
    jwt(out, "three parts of junk", "Bearer a.b.c");
    jwt(out, "alg none", "Bearer " + new PlainJWT(claims(owner, NOW, life).build()).serialize());
    jwt(out, "alg none with the good signature kept", "Bearer " + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + g[1] + "." + g[2]);
    jwt(out, "signed with another secret", "Bearer " + hs(JWSAlgorithm.HS256, "another-secret-of-at-least-thirty-two-bytes!", claims(owner, NOW, life).build()));
    jwt(out, "HS512 with the right secret", "Bearer " + hs(JWSAlgorithm.HS512, SECRET + SECRET, claims(owner, NOW, life).build()));
    RSASSASigner rs = new RSASSASigner(new RSAKeyGenerator(2048).generate());
    SignedJWT rsa = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims(owner, NOW, life).build());
    rsa.sign(rs);
    jwt(out, "RS256 with no JWKS configured", "Bearer " + rsa.serialize());
    jwt(out, "the signature removed", "Bearer " + g[0] + "." + g[1] + ".");
    jwt(out, "another token's signature", "Bearer " + g[0] + "." + g[1] + "." + otherGood.split("\\.")[2]);
    jwt(out, "the payload swapped for another operator's", "Bearer " + g[0] + "." + otherGood.split("\\.")[1] + "." + g[2]);
    jwt(out, "expired", "Bearer " + hs256(claims(owner, NOW.minus(Duration.ofMinutes(20)), life).build()));
    jwt(out, "no iat", "Bearer " + hs256(claims(owner, null, life).build()));
    jwt(out, "iat an hour ahead", "Bearer " + hs256(claims(owner, NOW.plus(Duration.ofHours(1)), life).build()));
    jwt(out, "a life of 16 minutes", "Bearer " + hs256(claims(owner, NOW, Duration.ofMinutes(16)).build()));
    jwt(out, "a life of ten years", "Bearer " + hs256(claims(owner, NOW, Duration.ofDays(3650)).build()));
    jwt(out, "no exp", "Bearer " + hs256(new JWTClaimsSet.Builder().subject(owner).claim("scope", "api").issueTime(Date.from(NOW)).build()));
    jwt(out, "an unknown operator", "Bearer " + hs256(claims("mallory@example.com", NOW, life).build()));
    jwt(out, "an empty sub", "Bearer " + hs256(claims("", NOW, life).build()));
    jwt(out, "a dashboard login token used for the API", "Bearer " + hs256(claims(owner, NOW, Duration.ofSeconds(50)).claim("scope", "dashboard_login").build()));
    jwt(out, "a token of 100,000 characters", "Bearer " + good + "x".repeat(100_000));
    out.add(HostileCase.of("jwt", "a good token, a body that is not JSON", "HTTP 400", "JSON", () -> post("/api/sequences", good, "{not json")));
    out.add(HostileCase.of("jwt", "a good token, an unknown field", "HTTP 422", "colour", () -> post("/api/sequences", good, "{\"version\":1,\"name\":\"X\",\"zone\":\"America/New_York\",\"colour\":\"red\",\"stages\":[]}")));
    out.add(HostileCase.of("jwt", "a good token, a body over 2 MiB", "HTTP 413", "bytes", () -> post("/api/sequences", good, "{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}")));
    return out;
  }

  private void jwt(List<HostileCase> out, String name, String authorization) {
    out.add(HostileCase.of("jwt", name, "HTTP 401", "token", () -> get("/api/sequences", authorization)));
  }

  private HostileCase.Answer get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new HostileCase.Answer("HTTP " + r.statusCode(), r.body() + " " + r.headers().firstValue("WWW-Authenticate").orElse(""));
  }

  private HostileCase.Answer post(String path, String token, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
    return new HostileCase.Answer("HTTP " + a.statusCode(), a.body());
  }

  // ------------------------------------------------------------------ MCP messages on stdio

  List<HostileCase> mcp() {
    List<HostileCase> out = new ArrayList<>();
    rpc(out, "a line that is not JSON", "{not json", "JSON-RPC -32700", "not JSON");
    rpc(out, "a line of binary", "\u0000\u0001\u0002\u00ff", "JSON-RPC -32700", "not JSON");
    rpc(out, "nesting 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), "JSON-RPC -32700", "not JSON");
    rpc(out, "a JSON string", "\"hello\"", "JSON-RPC -32600", "");
    rpc(out, "an empty batch", "[]", "JSON-RPC -32600", "");
    rpc(out, "jsonrpc 1.0", "{\"jsonrpc\":\"1.0\",\"id\":\"h\",\"method\":\"ping\"}", "JSON-RPC -32600", "");
    rpc(out, "no method", "{\"jsonrpc\":\"2.0\",\"id\":\"h\"}", "JSON-RPC -32600", "");
    rpc(out, "a method that does not exist", "{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":\"sequences/delete_all\",\"params\":{}}", "JSON-RPC -32601", "");
    rpc(out, "a tool that does not exist", call("drop_tables", "{}"), "JSON-RPC -32602", "drop_tables");
    rpc(out, "arguments that are a list", "{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":\"tools/call\",\"params\":{\"name\":\"get_status\",\"arguments\":[1,2]}}", "JSON-RPC -32602", "");
    known(out, "JSON-RPC -32603", "the SDK answers -32603 (internal error) with Jackson's exception text (tools.jackson.databind.exc.MismatchedInputException …), not -32602 invalid params");
    rpc(out, "an argument the tool does not define", call("list_sequences", "{\"owner\":\"sam@lakesideprint.com\"}"), "tool exit 2", "owner");
    known(out, "tool error without an exit code", SDK_VALIDATION);
    rpc(out, "an argument of the wrong type", call("get_status", "{\"sequence_id\":42}"), "tool exit 2", "sequence");
    known(out, "tool error without an exit code", SDK_VALIDATION);
    rpc(out, "a sequence that does not exist", call("get_status", "{\"sequence_id\":\"seq_nope\"}"), "tool exit 2", "seq_nope");
    rpc(out, "create_sequence with a zone offset", call("create_sequence", "{\"sequence\":{\"version\":1,\"name\":\"Agent\",\"zone\":\"+05:00\",\"stages\":[{\"medium\":\"email\",\"delay\":\"0\",\"trigger\":\"always\",\"template\":\"welcome_intro.email\"}]}}"), "tool exit 3", "zone");
    rpc(out, "create_sequence for another owner", call("create_sequence", "{\"sequence\":{\"version\":1,\"name\":\"Agent\",\"owner\":\"sam@lakesideprint.com\",\"zone\":\"America/New_York\",\"stages\":[{\"medium\":\"email\",\"delay\":\"0\",\"trigger\":\"always\",\"template\":\"welcome_intro.email\"}]}}"), "tool exit 3", "owner");
    rpc(out, "create_sequence trigger opened", call("create_sequence", "{\"sequence\":{\"version\":1,\"name\":\"Agent\",\"zone\":\"America/New_York\",\"stages\":[{\"medium\":\"email\",\"delay\":\"0\",\"trigger\":\"always\",\"template\":\"welcome_intro.email\"},{\"medium\":\"email\",\"delay\":\"1d\",\"trigger\":\"opened\",\"template\":\"welcome_followup.email\"}]}}"), "tool exit 3", "opened");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 2001; i++) {
      many.append(i == 0 ? "" : ",").append("{\"email\":\"m").append(i).append("@example.com\",\"first_name\":\"M\",\"company\":\"Co\"}");
    }
    rpc(out, "add_recipients with 2,001 rows", call("add_recipients", "{\"sequence_id\":\"Welcome\",\"recipients\":" + many + "]}"), "tool exit 2", "limit of 2000");
    rpc(out, "add_recipients with a nested row", call("add_recipients", "{\"sequence_id\":\"Welcome\",\"recipients\":[{\"email\":{\"x\":1}}]}"), "tool exit 2", "email");
    known(out, "tool error without an exit code", SDK_VALIDATION);
    rpc(out, "stop_sequence with a stale state_version", call("stop_sequence", "{\"sequence_id\":\"Welcome\",\"state_version\":99}"), "tool exit 3", "state_version");
    rpc(out, "a resource that does not exist", "{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":\"resources/read\",\"params\":{\"uri\":\"comms://bindings/../../etc/passwd\"}}", "JSON-RPC -32002", "");
    rpc(out, "a line of a megabyte", call("get_status", "{\"sequence_id\":\"seq_" + "q".repeat(1 << 20) + "\"}"), "tool exit 2", "there is no sequence");
    return out;
  }

  /** The MCP SDK checks a call's arguments against the tool's input schema before comms sees them. */
  private static final String SDK_VALIDATION =
      "refused by the MCP SDK's input-schema check (isError, the sentence 'Tool (NAME) input validation failed: …'), without the structured {\"error\": {\"exit_code\", \"kind\"}} the README documents for tool errors";

  /** Marks the case just added as a known deviation whose current answer is {@code actual}. */
  private static void known(List<HostileCase> out, String actual, String deviation) {
    out.set(out.size() - 1, out.get(out.size() - 1).known(actual, deviation));
  }

  private static String call(String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"h\",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
  }

  private void rpc(List<HostileCase> out, String name, String line, String expected, String says) {
    out.add(HostileCase.of("mcp", name, expected, says, () -> session(line)));
  }

  /**
   * One `comms mcp --as OWNER` session (through {@link Comms#run}, main's entry point) on a real pipe:
   * initialize, the hostile line, then a ping that must still be answered, then end of input. The
   * answer to the hostile line (its id, or a null id for a line that has none) is the outcome.
   */
  private HostileCase.Answer session(String hostile) throws Exception {
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    OutputStream serverOut = new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b == '\n') {
          lines.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(store.env);
    Thread t = new Thread(() -> Comms.run(serverIn, serverOut, err, env, "mcp", "--as", HostileStore.OWNER, "--actor", "agent:hostile"), "comms-mcp-hostile");
    t.setDaemon(true);
    t.start();
    try {
      send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}");
      await(lines, "0");
      send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(toServer, hostile);
      Map<String, Object> answer = await(lines, "h");
      send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"ping\"}");
      Map<String, Object> ping = await(lines, "after");
      String text = Json.write(answer) + (ping.containsKey("result") ? "" : " and the session did not answer a ping after it: " + Json.write(ping));
      return new HostileCase.Answer(ping.containsKey("result") ? code(answer) : "session died", text);
    } finally {
      toServer.close();
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private static void send(OutputStream o, String line) throws Exception {
    o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  /** The next answer whose id is {@code id}; a line that had no id is answered with id null, which matches "h". */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> await(LinkedBlockingQueue<String> lines, String id) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l == null || l.isBlank()) {
        continue;
      }
      Map<String, Object> m = (Map<String, Object>) Json.parse(l);
      Object got = m.get("id");
      String g = got == null ? null : got instanceof String s ? s : ((Number) got).toString().replaceAll("\\.0+$", "");
      if (id.equals(g) || (got == null && m.containsKey("error") && id.equals("h"))) {
        return m;
      }
    }
    throw new AssertionError("comms mcp did not answer id " + id + " within 60 s");
  }

  @SuppressWarnings("unchecked")
  private static String code(Map<String, Object> answer) {
    if (answer.get("error") instanceof Map<?, ?> e) {
      return "JSON-RPC " + ((Number) e.get("code")).intValue();
    }
    Map<String, Object> result = (Map<String, Object>) answer.get("result");
    if (result != null && Boolean.TRUE.equals(result.get("isError")) && result.get("structuredContent") instanceof Map<?, ?> sc && sc.get("error") instanceof Map<?, ?> err) {
      return "tool exit " + ((Number) err.get("exit_code")).intValue();
    }
    return result != null && Boolean.TRUE.equals(result.get("isError")) ? "tool error without an exit code" : "accepted";
  }
}
