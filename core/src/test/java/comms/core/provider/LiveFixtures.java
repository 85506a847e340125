package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertFalse;

import comms.core.contract.DeliveryContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.Source;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixtures for the live adapters: sentinel secrets that must never show up anywhere, provider
 * entries pointing at a test server, and a recorder for trace lines and retry waits (which are
 * recorded, never slept).
 */
public final class LiveFixtures {
  private LiveFixtures() {}

  /** Prism checks the Account SID's pattern (AC + 32 hex digits), so this sentinel is hex. */
  public static final String TWILIO_SID = "ACdeadbeef0123456789abcdef5e7e1e1a";
  public static final String TWILIO_TOKEN = "sentinel-twilio-token-XYZ";
  public static final String RESEND_KEY = "re_sentinel-resend-key-XYZ";
  public static final String GRAPH_TENANT = "sentinel-graph-tenant-XYZ";
  public static final String GRAPH_CLIENT = "sentinel-graph-client-XYZ";
  public static final String GRAPH_SECRET = "sentinel-graph-secret-XYZ";
  public static final List<String> SECRETS = List.of(TWILIO_SID, TWILIO_TOKEN, RESEND_KEY, GRAPH_TENANT, GRAPH_CLIENT, GRAPH_SECRET);

  /** A fixed instant for HTTP-date Retry-After arithmetic. */
  public static final Instant NOW = Instant.parse("2026-11-22T15:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Short timeouts so hung loopback connections fail fast; Prism (node, on a busy machine) gets longer. */
  public static final int CONNECT_MS = 1000;
  public static final int READ_MS = 400;
  public static final int PRISM_READ_MS = 15_000;

  static int readMs(String baseUrl) {
    return baseUrl.matches("http://127\\.0\\.0\\.1:40[12]\\d") ? PRISM_READ_MS : READ_MS;
  }

  public static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("COMMS_TWILIO_ACCOUNT_SID", TWILIO_SID);
    env.put("COMMS_TWILIO_AUTH_TOKEN", TWILIO_TOKEN);
    env.put("COMMS_RESEND_API_KEY", RESEND_KEY);
    env.put("COMMS_GRAPH_TENANT_ID", GRAPH_TENANT);
    env.put("COMMS_GRAPH_CLIENT_ID", GRAPH_CLIENT);
    env.put("COMMS_GRAPH_CLIENT_SECRET", GRAPH_SECRET);
    return env;
  }

  static Source source() {
    return new Source("communications.providers.contract.yaml", 1, 1, "providers");
  }

  public static ProvidersContract.Provider twilio(String baseUrl, String from, String messagingServiceSid) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("account_sid", "COMMS_TWILIO_ACCOUNT_SID");
    env.put("auth_token", "COMMS_TWILIO_AUTH_TOKEN");
    return new ProvidersContract.Provider(
        source(), "twilio", "twilio", List.of("sms"), baseUrl, null, env, from, messagingServiceSid, CONNECT_MS, readMs(baseUrl),
        ProvidersContract.Rate.defaultFor("twilio"));
  }

  public static ProvidersContract.Provider resend(String baseUrl) {
    return new ProvidersContract.Provider(
        source(), "resend", "resend", List.of("email"), baseUrl, null, Map.of("api_key", "COMMS_RESEND_API_KEY"),
        "Lakeside Print <orders@lakesideprint.com>", null, CONNECT_MS, readMs(baseUrl),
        ProvidersContract.Rate.defaultFor("resend"));
  }

  public static ProvidersContract.Provider graph(String baseUrl, String authorityUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("tenant_id", "COMMS_GRAPH_TENANT_ID");
    env.put("client_id", "COMMS_GRAPH_CLIENT_ID");
    env.put("client_secret", "COMMS_GRAPH_CLIENT_SECRET");
    return new ProvidersContract.Provider(
        source(), "graph", "microsoft-graph", List.of("mailbox"), baseUrl, authorityUrl, env, null, null, CONNECT_MS, readMs(baseUrl),
        ProvidersContract.Rate.defaultFor("microsoft-graph"));
  }

  /** A loopback port with nothing listening: connecting to it is refused. */
  public static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public static void assertNoSecret(String what, String text) {
    if (text == null) {
      return;
    }
    for (String s : SECRETS) {
      assertFalse(text.contains(s), () -> what + " contains a secret: " + text);
    }
  }

  /** Records every HTTP exchange and every retry wait; waits are recorded instead of slept. */
  public static final class Recorder {
    public final List<HttpTrace.Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    public final List<RetryPolicy.Wait> waits = new ArrayList<>();
    public final List<Duration> slept = new ArrayList<>();

    public HttpTrace trace() {
      return exchanges::add;
    }

    public RetryPolicy retry() {
      return retry(5);
    }

    public RetryPolicy retry(int maxAttempts) {
      return new RetryPolicy(new DeliveryContract.Retry(maxAttempts, 500, 30_000), CLOCK, slept::add, () -> 0.5, waits::add);
    }

    public LiveProviders live() {
      return new LiveProviders(env(), retry(), trace());
    }

    /** Every trace line, wait message and the given texts are free of secrets. */
    public void assertNoSecrets(String... texts) {
      for (HttpTrace.Exchange e : exchanges) {
        assertNoSecret("trace line", e.line());
      }
      for (RetryPolicy.Wait w : waits) {
        assertNoSecret("wait message", w.describe());
      }
      for (String t : texts) {
        assertNoSecret("text", t);
      }
    }

    /** Prism answers 401/415/422 when a request does not match the provider's description. */
    public void assertNoValidationAnswer() {
      for (HttpTrace.Exchange e : exchanges) {
        assertFalse(
            e.status() == 401 || e.status() == 415 || e.status() == 422 || e.status() == 400 || e.status() == 404,
            () -> "a mock refused our request as not matching the provider's API description: " + e.line());
      }
    }

    public List<Integer> statuses() {
      return exchanges.stream().map(HttpTrace.Exchange::status).toList();
    }
  }
}
