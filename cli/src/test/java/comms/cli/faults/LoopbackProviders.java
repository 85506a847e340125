package comms.cli.faults;

import comms.core.json.Json;
import comms.core.provider.LiveFixtures;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback stand-in for Twilio ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}), Resend
 * ({@code POST /emails}) and the two Graph calls of the pilot ({@code GET /v1.0/users/{id}},
 * {@code POST /v1.0/users/{id}/sendMail}) that counts what reached it: every request, and every
 * message it would have delivered, per recipient and per idempotency key. Resend's documented
 * de-duplication is honoured (a repeated {@code Idempotency-Key} answers the first email's id and
 * delivers nothing), Twilio has none (every accepted request is a message). Prism cannot count, so
 * crash and disk tests prove "never dispatched twice" and "zero requests" here.
 */
final class LoopbackProviders implements AutoCloseable {
  private static final Pattern TWILIO = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
  private static final Pattern GRAPH_USER = Pattern.compile("/v1\\.0/users/([^/]+)");
  private static final Pattern GRAPH_SEND = Pattern.compile("/v1\\.0/users/([^/]+)/sendMail");
  private static final Pattern GRAPH_MESSAGES = Pattern.compile("/v1\\.0/users/([^/]+)/messages");

  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger requests = new AtomicInteger();
  /** Messages a recipient would have received (a repeated Resend key delivers nothing). */
  private final Map<String, AtomicInteger> deliveredTo = new ConcurrentHashMap<>();
  /** Requests per Resend Idempotency-Key. */
  private final Map<String, AtomicInteger> requestsByKey = new ConcurrentHashMap<>();
  private final Map<String, String> resendIds = new ConcurrentHashMap<>();
  private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Every send request as it arrived: the rate scope it counts against, its recipient, when (RateFidelityBench reads them). */
  private final List<Arrival> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());

  /** A send request's arrival: {@code scope} is resend, twilio:FROM or graph:MAILBOX; {@code units} its SMS segments (else 1). */
  record Arrival(String scope, String to, int units, long nanos, long epochMillis) {}

  private volatile int maxDelayMs;
  private volatile Predicate<String> hold = r -> false;
  private volatile CountDownLatch held = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(1);
  private volatile int failWith;
  private final Map<String, AtomicInteger> slow = new ConcurrentHashMap<>();
  private volatile int slowMs;
  private volatile boolean echoCredentials;

  LoopbackProviders() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return answer(r);
          }
        });
    try {
      server.start();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** Each answer waits a random 0..ms first, so a kill lands inside a dispatch more often. */
  LoopbackProviders delay(int ms) {
    maxDelayMs = ms;
    return this;
  }

  /**
   * The next request for a recipient matching {@code which} is accepted (counted as delivered)
   * and then held unanswered until {@link #release()}: the moment a provider has the message and
   * the sender has not heard back.
   */
  LoopbackProviders holdNext(Predicate<String> which) {
    held = new CountDownLatch(1);
    release = new CountDownLatch(1);
    hold = which;
    return this;
  }

  /** Waits until a held request arrived. */
  boolean awaitHeld(long ms) throws InterruptedException {
    return held.await(ms, TimeUnit.MILLISECONDS);
  }

  void release() {
    hold = r -> false;
    release.countDown();
  }

  /**
   * The next {@code times} requests for {@code recipient} are accepted (counted as delivered) and
   * answered only after {@code ms}: longer than the client's read timeout, it never hears back.
   */
  LoopbackProviders answerLate(String recipient, int times, int ms) {
    slowMs = ms;
    slow.put(recipient, new AtomicInteger(times));
    return this;
  }

  /** Every request fails with this HTTP status (0: answer normally). */
  LoopbackProviders failWith(int status) {
    failWith = status;
    return this;
  }

  /** Error answers quote the request's credentials back, as a careless provider or proxy might. */
  LoopbackProviders echoCredentials() {
    echoCredentials = true;
    return this;
  }

  int requests() {
    return requests.get();
  }

  int deliveredTo(String recipient) {
    AtomicInteger n = deliveredTo.get(recipient);
    return n == null ? 0 : n.get();
  }

  /** The highest number of messages any one recipient would have received. */
  int maxDeliveredPerRecipient() {
    return deliveredTo.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
  }

  /** Recipients that would have received more than one message. */
  List<String> duplicatedRecipients() {
    return deliveredTo.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
  }

  int requestsForKey(String key) {
    AtomicInteger n = requestsByKey.get(key);
    return n == null ? 0 : n.get();
  }

  /** Method, path and headers of each request, in order (the secret sweep reads them). */
  List<String> seen() {
    return List.copyOf(seen);
  }

  /** The send requests so far, in order of arrival. */
  List<Arrival> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  private void arrived(String scope, String to, int units, long nanos, long millis) {
    arrivals.add(new Arrival(scope, to, units, nanos, millis));
  }

  /** GSM-7 segments of an SMS body, roughly as Twilio counts them (160 in one, else 153 each; 70/67 outside GSM). */
  static int segments(String body) {
    boolean gsm = body.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\r');
    int one = gsm ? 160 : 70;
    int each = gsm ? 153 : 67;
    return body.length() <= one ? 1 : (body.length() + each - 1) / each;
  }

  private MockResponse answer(RecordedRequest r) {
    long nanos = System.nanoTime();
    long millis = System.currentTimeMillis();
    requests.incrementAndGet();
    String path = r.getUrl().encodedPath();
    seen.add(r.getMethod() + " " + path);
    String body = r.getBody() == null ? "" : r.getBody().utf8();
    sleepRandomly();
    if (failWith != 0) {
      return error(failWith, r);
    }
    Matcher m;
    if ("POST".equals(r.getMethod()) && (m = TWILIO.matcher(path)).matches()) {
      Map<String, String> f = form(body);
      arrived("twilio:" + f.getOrDefault("From", ""), f.getOrDefault("To", ""), segments(f.getOrDefault("Body", "")), nanos, millis);
      return twilio(r, m.group(1), body);
    }
    if ("POST".equals(r.getMethod()) && path.equals("/emails")) {
      try {
        arrived("resend", String.valueOf(((List<?>) Json.parseObject(body).get("to")).get(0)), 1, nanos, millis);
      } catch (RuntimeException unreadable) {
        arrived("resend", "?", 1, nanos, millis);
      }
      return resend(r, body);
    }
    if ("POST".equals(r.getMethod()) && (m = GRAPH_SEND.matcher(path)).matches()) {
      arrived("graph:" + URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), "?", 1, nanos, millis);
      if (!("Bearer " + comms.core.provider.FakeAuthority.TOKEN).equals(r.getHeaders().get("Authorization"))) {
        return error(401, r);
      }
      Object parsed = Json.parse(body);
      String to = String.valueOf(((Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) parsed).get("Message")).get("toRecipients")).get(0)).get("emailAddress")).get("address"));
      delivered(to);
      hold(to);
      return new MockResponse.Builder().code(202).build();
    }
    if ("GET".equals(r.getMethod()) && (m = GRAPH_MESSAGES.matcher(path)).matches()) {
      // One message in every mailbox: enough for mail.search to read a list through the SDK.
      return json(200, "{\"value\":[{\"id\":\"AAMk-loopback-1\",\"subject\":\"[comms pilot] hello [CT-LOOPBACK]\","
          + "\"receivedDateTime\":\"2026-11-18T16:59:00Z\",\"from\":{\"emailAddress\":{\"address\":\"maria@example.com\"}}}]}");
    }
    if ("GET".equals(r.getMethod()) && (m = GRAPH_USER.matcher(path)).matches()) {
      String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      return json(200, "{\"id\":\"" + HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8)).substring(0, 8) + "\",\"displayName\":\"Pilot\",\"mail\":\"" + id + "\"}");
    }
    return json(404, "{\"error\":\"not_found\"}");
  }

  private MockResponse twilio(RecordedRequest r, String sid, String body) {
    String expected = "Basic " + Base64.getEncoder().encodeToString((LiveFixtures.TWILIO_SID + ":" + LiveFixtures.TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8));
    if (!sid.equals(LiveFixtures.TWILIO_SID) || !expected.equals(r.getHeaders().get("Authorization"))) {
      return error(401, r);
    }
    String to = form(body).getOrDefault("To", "");
    delivered(to);
    hold(to);
    String id = "SM" + HexFormat.of().formatHex(randomBytes(16));
    return json(201, "{\"sid\":\"" + id + "\",\"status\":\"queued\",\"to\":\"" + to + "\",\"error_code\":null,\"error_message\":null}");
  }

  private MockResponse resend(RecordedRequest r, String body) {
    if (!("Bearer " + LiveFixtures.RESEND_KEY).equals(r.getHeaders().get("Authorization"))) {
      return error(401, r);
    }
    Map<String, Object> email = Json.parseObject(body);
    String to = String.valueOf(((List<?>) email.get("to")).get(0));
    String key = r.getHeaders().get("Idempotency-Key");
    if (key != null) {
      requestsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      String earlier = resendIds.get(key);
      if (earlier != null) {
        // Resend: the same key within 24 hours answers the first response and sends nothing.
        return json(200, "{\"id\":\"" + earlier + "\"}");
      }
    }
    String id = java.util.UUID.randomUUID().toString();
    if (key != null) {
      resendIds.put(key, id);
    }
    delivered(to);
    hold(to);
    return json(200, "{\"id\":\"" + id + "\"}");
  }

  private void delivered(String recipient) {
    deliveredTo.computeIfAbsent(recipient, k -> new AtomicInteger()).incrementAndGet();
  }

  private void hold(String recipient) {
    AtomicInteger late = slow.get(recipient);
    if (late != null && late.getAndDecrement() > 0) {
      try {
        Thread.sleep(slowMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (hold.test(recipient)) {
      CountDownLatch r = release;
      held.countDown();
      try {
        r.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sleepRandomly() {
    int max = maxDelayMs;
    if (max > 0) {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(max + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private MockResponse error(int status, RecordedRequest r) {
    String quoted = echoCredentials ? " (you sent Authorization: " + r.getHeaders().get("Authorization") + " to " + r.getUrl() + ")" : "";
    String message = ("request refused with " + status + quoted).replace("\\", "\\\\").replace("\"", "\\\"");
    String body =
        r.getUrl().encodedPath().equals("/emails")
            ? "{\"statusCode\":" + status + ",\"name\":\"" + (status == 401 ? "missing_api_key" : "internal_server_error") + "\",\"message\":\"" + message + "\"}"
            : r.getUrl().encodedPath().startsWith("/v1.0")
                ? "{\"error\":{\"code\":\"Refused\",\"message\":\"" + message + "\"}}"
                : "{\"code\":" + (status == 401 ? 20003 : 20500) + ",\"message\":\"" + message + "\",\"status\":" + status + "}";
    return json(status, body);
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    release();
    server.close();
  }
}
