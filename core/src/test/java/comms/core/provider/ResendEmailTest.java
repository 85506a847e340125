package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Resend's REST API through OkHttp, against Prism's mock of Resend's API description and a loopback server for the rest. */
class ResendEmailTest {
  static Dispatch email() {
    return new Dispatch(
        "dlv-0002", "payment_needed:order-30020:email", "email", null, "maria.gomez@example.org", "Order 30020: payment needed",
        "Hello Maria, order 30020 has 42.00 to pay.", "<p>Hello Maria, order 30020 has 42.00 to pay.</p>");
  }

  static Dispatch stageEmail() {
    return new Dispatch(
        "dlv-0003", "seq:enr_1:1", "email", "dana@lakesideprint.com", "maria.gomez@example.org", "Welcome", "Hello Maria", null,
        comms.core.delivery.MessageIds.headers("dlv-0003", "Dana <dana@lakesideprint.com>"));
  }

  static ResendEmail resend(LiveFixtures.Recorder rec, String base) {
    return (ResendEmail) rec.live().provider(LiveFixtures.resend(base));
  }

  @Nested
  @Tag("mocks")
  @ExtendWith(PrismMocks.class)
  class AgainstPrism {
    final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

    @Test
    void sendsTheEmailAndRecordsResendsId() {
      DispatchResult r = resend(rec, PrismMocks.RESEND).send(email());
      assertEquals("sent", r.status());
      assertFalse(r.providerMessageId().isBlank());
      assertEquals(1, r.attempts());
      assertEquals(List.of(200), rec.statuses());
      rec.assertNoValidationAnswer();
      assertEquals("POST 127.0.0.1:4011 /emails", rec.exchanges.get(0).line().replaceAll(" 200 \\d+ ms$", ""));
      rec.assertNoSecrets(r.toString());
    }

    @Test
    void theDescriptionAcceptsTheCustomHeaders() {
      DispatchResult r = resend(rec, PrismMocks.RESEND).send(stageEmail());
      assertEquals("sent", r.status());
      rec.assertNoValidationAnswer();
    }

    /** What makes the test above mean something: the mock does refuse requests the description does not allow. */
    @Test
    void theMockRefusesWhatResendsDescriptionDoesNotAllow() throws Exception {
      okhttp3.OkHttpClient raw = new okhttp3.OkHttpClient();
      okhttp3.RequestBody incomplete = okhttp3.RequestBody.create("{\"from\":\"a@example.org\"}", okhttp3.MediaType.get("application/json"));
      try (okhttp3.Response r = raw.newCall(new okhttp3.Request.Builder().url(PrismMocks.RESEND + "/emails")
          .header("Authorization", "Bearer x").post(incomplete).build()).execute()) {
        assertEquals(422, r.code());
      }
      try (okhttp3.Response r = raw.newCall(new okhttp3.Request.Builder().url(PrismMocks.RESEND + "/emails").post(incomplete).build()).execute()) {
        assertEquals(401, r.code());
      }
    }

    @Test
    void rateLimitHonoursResendsRetryAfterThenDeadLetters() {
      ResendEmail t = resend(rec, PrismMocks.RESEND_ERRORS);
      t.header("Prefer", "code=429");
      ProviderException e = assertThrows(ProviderException.class, () -> t.send(email()));
      assertEquals("dead_letter", e.status());
      assertEquals("rate_limit_exceeded", e.errorCode());
      assertEquals(5, e.attempts());
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      // the errors description answers retry-after: 1
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), rec.slept);
      assertEquals("resend: attempt 4 of 5 failed (429), next try in 1 second", rec.waits.get(3).describe());
      assertTrue(e.getMessage().contains("You can only make 2 requests per second"), e.getMessage());
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void serverErrorIsRetriedThenDeadLettered() {
      ResendEmail t = resend(rec, PrismMocks.RESEND_ERRORS);
      t.header("Prefer", "code=500");
      ProviderException e = assertThrows(ProviderException.class, () -> t.send(email()));
      assertEquals("dead_letter", e.status());
      assertEquals("internal_server_error", e.errorCode());
      assertEquals(List.of(500, 500, 500, 500, 500), rec.statuses());
    }

    @Test
    void invalidKeyFailsAtOnceWithResendsNameAndMessage() {
      ResendEmail t = resend(rec, PrismMocks.RESEND_ERRORS);
      t.header("Prefer", "code=403");
      ProviderException e = assertThrows(ProviderException.class, () -> t.send(email()));
      assertEquals("failed", e.status());
      assertEquals("invalid_api_key", e.errorCode());
      assertEquals(1, e.attempts(), () -> rec.exchanges.toString());
      assertTrue(e.getMessage().contains("API key is invalid"), e.getMessage());
    }
  }

  @Nested
  class AgainstLoopback {
    final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();
    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
      server = new MockWebServer();
      server.start();
    }

    @AfterEach
    void stop() {
      server.close();
    }

    String base() {
      return "http://127.0.0.1:" + server.getPort();
    }

    MockResponse ok() {
      return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}").build();
    }

    MockResponse error(int status, String name, String message) {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body("{\"statusCode\":" + status + ",\"name\":\"" + name + "\",\"message\":\"" + message + "\"}")
          .build();
    }

    @Test
    void postsTheDocumentedBodyWithBearerKeyAndIdempotencyKey() throws Exception {
      server.enqueue(ok());
      DispatchResult r = resend(rec, base()).send(email());
      assertEquals(new DispatchResult("sent", "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794", 1), r);
      RecordedRequest req = server.takeRequest();
      assertEquals("POST", req.getMethod());
      assertEquals("/emails", req.getUrl().encodedPath());
      assertEquals("Bearer " + LiveFixtures.RESEND_KEY, req.getHeaders().get("Authorization"));
      assertEquals("payment_needed:order-30020:email", req.getHeaders().get("Idempotency-Key"));
      Map<String, Object> body = Json.parseObject(req.getBody().utf8());
      assertEquals("Lakeside Print <orders@lakesideprint.com>", body.get("from"));
      assertEquals(List.of("maria.gomez@example.org"), body.get("to"));
      assertEquals("Order 30020: payment needed", body.get("subject"));
      assertTrue(((String) body.get("text")).startsWith("Hello Maria"));
      assertTrue(((String) body.get("html")).startsWith("<p>"));
    }

    @Test
    void aStageSendCarriesItsMessageIdAndDeliveryIdAsCustomHeaders() throws Exception {
      server.enqueue(ok());
      Dispatch d = stageEmail();
      resend(rec, base()).send(d);
      Map<String, Object> body = Json.parseObject(server.takeRequest().getBody().utf8());
      assertEquals(Map.of("Message-ID", "<dlv-0003@lakesideprint.com>", "X-Comms-Delivery-Id", "dlv-0003"), body.get("headers"));
    }

    @Test
    void anEmailWithoutHeadersSendsNoHeadersField() throws Exception {
      server.enqueue(ok());
      resend(rec, base()).send(email());
      assertFalse(Json.parseObject(server.takeRequest().getBody().utf8()).containsKey("headers"));
    }

    @Test
    void everyRetryCarriesTheSameIdempotencyKey() throws Exception {
      server.enqueue(error(500, "internal_server_error", "An unexpected error occurred."));
      server.enqueue(ok());
      DispatchResult r = resend(rec, base()).send(email());
      assertEquals(2, r.attempts());
      assertEquals(server.takeRequest().getHeaders().get("Idempotency-Key"), server.takeRequest().getHeaders().get("Idempotency-Key"));
    }

    @Test
    void rateLimitWithHttpDateRetryAfter() {
      server.enqueue(new MockResponse.Builder(error(429, "rate_limit_exceeded", "Too many requests.")).addHeader("retry-after", "Sun, 22 Nov 2026 15:00:12 GMT").build());
      server.enqueue(ok());
      DispatchResult r = resend(rec, base()).send(email());
      assertEquals(2, r.attempts());
      assertEquals(List.of(Duration.ofSeconds(12)), rec.slept);
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOff() {
      server.enqueue(error(429, "rate_limit_exceeded", "Too many requests."));
      server.enqueue(error(429, "rate_limit_exceeded", "Too many requests."));
      server.enqueue(ok());
      DispatchResult r = resend(rec, base()).send(email());
      assertEquals(3, r.attempts());
      assertEquals(List.of(Duration.ofMillis(375), Duration.ofMillis(750)), rec.slept);
    }

    @Test
    void serviceUnavailableFiveTimesIsADeadLetter() {
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().code(503).body("upstream down").build());
      }
      ProviderException e = assertThrows(ProviderException.class, () -> resend(rec, base()).send(email()));
      assertEquals("dead_letter", e.status());
      assertEquals("503", e.errorCode());
      assertEquals(5, e.attempts());
      assertEquals(5, server.getRequestCount());
      assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    @Test
    void validationErrorFailsAtOnce() {
      server.enqueue(error(422, "validation_error", "Invalid `to` field."));
      ProviderException e = assertThrows(ProviderException.class, () -> resend(rec, base()).send(email()));
      assertEquals("failed", e.status());
      assertEquals("validation_error", e.errorCode());
      assertTrue(e.getMessage().contains("Invalid `to` field."), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void aHungConnectionTimesOut() {
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      }
      ProviderException e = assertThrows(ProviderException.class, () -> resend(rec, base()).send(email()));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertEquals("read timeout", rec.waits.get(0).reason());
      assertEquals(5, rec.exchanges.size());
    }

    @Test
    void aRefusedConnectionIsADeadLetterAfterFiveAttempts() {
      ProviderException e =
          assertThrows(ProviderException.class, () -> resend(rec, "http://127.0.0.1:" + LiveFixtures.closedPort()).send(email()));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void aSuccessThatIsNotJsonFailsWithoutRetrying() {
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body("OK").build());
      ProviderException e = assertThrows(ProviderException.class, () -> resend(rec, base()).send(email()));
      assertEquals("failed", e.status());
      assertEquals("bad_response", e.errorCode());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }
  }

  @Test
  void missingKeyFailsBeforeSendingNamingTheVariable() {
    LiveProviders live = new LiveProviders(Map.of(), new LiveFixtures.Recorder().retry(), HttpTrace.NONE);
    CommsException e = assertThrows(CommsException.class, () -> live.provider(LiveFixtures.resend("http://127.0.0.1:9")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("COMMS_RESEND_API_KEY"), e.getMessage());
  }
}
