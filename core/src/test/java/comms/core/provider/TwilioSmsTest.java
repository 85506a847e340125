package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
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

/** Twilio through its own Java SDK, against Prism's mock of Twilio's API description and a loopback server for the rest. */
class TwilioSmsTest {
  static final String MSID = "MGdeadbeef0123456789abcdef01234567";

  static Dispatch sms(String to) {
    return new Dispatch("dlv-0001", "idem-0001", "sms", null, to, null, "Your order 30020 is ready for pickup.", null);
  }

  static TwilioSms twilio(LiveFixtures.Recorder rec, String base) {
    return (TwilioSms) rec.live().provider(LiveFixtures.twilio(base, "+13125550142", null));
  }

  @Nested
  @Tag("mocks")
  @ExtendWith(PrismMocks.class)
  class AgainstPrism {
    final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

    @Test
    void createsTheMessageFromTheContractsNumber() {
      DispatchResult r = twilio(rec, PrismMocks.TWILIO).send(sms("+15551234567"));
      assertFalse(r.providerMessageId().isBlank());
      assertTrue(r.providerMessageId().startsWith("SM") || r.providerMessageId().startsWith("MM"), r.toString());
      assertTrue(List.of("queued", "sent").contains(r.status()), r.toString());
      assertEquals(1, r.attempts());
      assertEquals(List.of(201), rec.statuses());
      rec.assertNoValidationAnswer();
      HttpTrace.Exchange x = rec.exchanges.get(0);
      assertEquals("POST", x.method());
      assertEquals("127.0.0.1:4010", x.host());
      assertEquals("/2010-04-01/Accounts/{AccountSid}/Messages.json", x.path());
      rec.assertNoSecrets(r.toString());
    }

    @Test
    void createsTheMessageThroughAMessagingService() {
      TwilioSms t = (TwilioSms) rec.live().provider(LiveFixtures.twilio(PrismMocks.TWILIO, null, MSID));
      DispatchResult r = t.send(sms("+15551234567"));
      assertEquals(1, r.attempts());
      assertEquals(List.of(201), rec.statuses());
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffExponentiallyThenDeadLetters() {
      TwilioSms t = twilio(rec, PrismMocks.TWILIO_ERRORS);
      t.header("Prefer", "code=429");
      ProviderException e = assertThrows(ProviderException.class, () -> t.send(sms("+15551234567")));
      assertEquals("dead_letter", e.status());
      assertEquals("20429", e.errorCode());
      assertEquals(5, e.attempts());
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      assertEquals(List.of(429, 429, 429, 429, 429), rec.statuses());
      // no Retry-After: 0.5 s doubling, half of each step plus jitter (fixed at 0.5 here)
      assertEquals(List.of(Duration.ofMillis(375), Duration.ofMillis(750), Duration.ofMillis(1500), Duration.ofMillis(3000)), rec.slept);
      assertEquals("twilio: attempt 1 of 5 failed (429), next try in 0.4 seconds", rec.waits.get(0).describe());
      assertTrue(e.getMessage().contains("gave up after 5 attempts") && e.getMessage().contains("Too Many Requests"), e.getMessage());
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void serverErrorsAreRetriedThenDeadLettered() {
      for (int code : new int[] {500, 503}) {
        LiveFixtures.Recorder r = new LiveFixtures.Recorder();
        TwilioSms t = twilio(r, PrismMocks.TWILIO_ERRORS);
        t.header("Prefer", "code=" + code);
        ProviderException e = assertThrows(ProviderException.class, () -> t.send(sms("+15551234567")));
        assertEquals("dead_letter", e.status());
        assertEquals(5, e.attempts());
        assertEquals(List.of(code, code, code, code, code), r.statuses());
        assertEquals(String.valueOf(20000 + code), e.errorCode());
      }
    }

    @Test
    void invalidNumberFailsAtOnceAsInvalidRecipient() {
      TwilioSms t = twilio(rec, PrismMocks.TWILIO_ERRORS);
      t.header("Prefer", "code=400");
      ProviderException e = assertThrows(ProviderException.class, () -> t.send(sms("+15551234567")));
      assertEquals("failed", e.status());
      assertEquals("21211", e.errorCode());
      assertTrue(e.invalidRecipient());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("invalid recipient"), e.getMessage());
      assertTrue(rec.slept.isEmpty());
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

    MockResponse error(int status, int code, String message) {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body("{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}")
          .build();
    }

    MockResponse created() {
      return new MockResponse.Builder()
          .code(201)
          .addHeader("Content-Type", "application/json")
          .body("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\",\"to\":\"+15551234567\"}")
          .build();
    }

    @Test
    void sendsFormWithBasicAuthToTheConfiguredBase() throws Exception {
      server.enqueue(created());
      DispatchResult r = twilio(rec, base()).send(sms("+15551234567"));
      assertEquals(new DispatchResult("queued", "SM0123456789abcdef0123456789abcdef", 1), r);
      RecordedRequest req = server.takeRequest();
      assertEquals("/2010-04-01/Accounts/" + LiveFixtures.TWILIO_SID + "/Messages.json", req.getUrl().encodedPath());
      String form = req.getBody().utf8();
      assertTrue(form.contains("To=%2B15551234567") && form.contains("From=%2B13125550142") && form.contains("Body=Your+order"), form);
      assertTrue(req.getHeaders().get("Authorization").startsWith("Basic "));
    }

    @Test
    void optOutFailsAtOnceAndSaysSo() {
      server.enqueue(error(400, 21610, "Attempt to send to unsubscribed recipient"));
      ProviderException e = assertThrows(ProviderException.class, () -> twilio(rec, base()).send(sms("+15551234567")));
      assertEquals("failed", e.status());
      assertEquals("21610", e.errorCode());
      assertTrue(e.optedOut());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("opted out"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void notAMobileNumberIsAnInvalidRecipient() {
      server.enqueue(error(400, 21614, "'To' number is not a valid mobile number"));
      ProviderException e = assertThrows(ProviderException.class, () -> twilio(rec, base()).send(sms("+15551234567")));
      assertTrue(e.invalidRecipient());
      assertEquals("21614", e.errorCode());
      assertEquals(1, e.attempts());
    }

    @Test
    void otherClientErrorsFailWithTwiliosCodeAndMessage() {
      server.enqueue(error(401, 20003, "Authenticate"));
      ProviderException e = assertThrows(ProviderException.class, () -> twilio(rec, base()).send(sms("+15551234567")));
      assertEquals("failed", e.status());
      assertEquals("20003", e.errorCode());
      assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("Authenticate"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void retryAfterSecondsIsHonouredThenTheMessageGoes() {
      server.enqueue(new MockResponse.Builder(error(429, 20429, "Too Many Requests")).addHeader("Retry-After", "3").build());
      server.enqueue(created());
      DispatchResult r = twilio(rec, base()).send(sms("+15551234567"));
      assertEquals(2, r.attempts());
      assertEquals(List.of(Duration.ofSeconds(3)), rec.slept);
      assertEquals("twilio: attempt 1 of 5 failed (429), next try in 3 seconds", rec.waits.get(0).describe());
    }

    @Test
    void retryAfterHttpDateIsHonoured() {
      server.enqueue(new MockResponse.Builder(error(429, 20429, "Too Many Requests")).addHeader("Retry-After", "Sun, 22 Nov 2026 15:00:05 GMT").build());
      server.enqueue(created());
      DispatchResult r = twilio(rec, base()).send(sms("+15551234567"));
      assertEquals(2, r.attempts());
      assertEquals(List.of(Duration.ofSeconds(5)), rec.slept);
    }

    @Test
    void aServerErrorThenSuccessIsSent() {
      server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
      server.enqueue(created());
      DispatchResult r = twilio(rec, base()).send(sms("+15551234567"));
      assertEquals(2, r.attempts());
      assertEquals(List.of(500, 201), rec.statuses());
    }

    @Test
    void aHungConnectionTimesOutOnceAndIsNotRetriedBecauseTwilioMayHaveTheMessage() {
      // Twilio has no idempotency key: a request that got no answer may have created the message,
      // and asking again would text the recipient twice (issue 7's crash harness found it did, 5 times).
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      }
      long t0 = System.nanoTime();
      ProviderException e = assertThrows(ProviderException.class, () -> twilio(rec, base()).send(sms("+15551234567")));
      assertEquals("failed", e.status());
      assertEquals(1, e.attempts());
      assertTrue(e.mayHaveSent());
      assertTrue(rec.waits.isEmpty(), rec.waits::toString);
      assertTrue(e.getMessage().contains("read timeout") && e.getMessage().contains("--retry-interrupted"), e.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 10_000, "timeouts are the contract's, not the SDK's 30 s");
      assertEquals(1, server.getRequestCount());
      assertEquals(0, rec.exchanges.get(0).status());
    }

    @Test
    void aRefusedConnectionIsRetriedUntilDeadLettered() {
      int port = LiveFixtures.closedPort();
      ProviderException e =
          assertThrows(ProviderException.class, () -> twilio(rec, "http://127.0.0.1:" + port).send(sms("+15551234567")));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertEquals("connection refused", rec.waits.get(0).reason());
      assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
      assertFalse(e.mayHaveSent(), "a refused connection never reached Twilio, so retrying it is safe");
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void aSuccessThatIsNotJsonFailsWithoutRetryingSoNothingIsSentTwice() {
      server.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "text/html").body("<html>gateway</html>").build());
      ProviderException e = assertThrows(ProviderException.class, () -> twilio(rec, base()).send(sms("+15551234567")));
      assertEquals("failed", e.status());
      assertEquals("bad_response", e.errorCode());
      assertEquals(1, e.attempts());
      assertTrue(e.mayHaveSent());
      assertTrue(e.getMessage().contains("HTML"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }
  }

  @Test
  void missingSecretsFailBeforeAnythingIsSentNamingTheVariables() {
    LiveProviders live = new LiveProviders(Map.of("COMMS_TWILIO_AUTH_TOKEN", LiveFixtures.TWILIO_TOKEN), new LiveFixtures.Recorder().retry(), HttpTrace.NONE);
    CommsException e = assertThrows(CommsException.class, () -> live.provider(LiveFixtures.twilio("http://127.0.0.1:9", "+13125550142", null)));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("COMMS_TWILIO_ACCOUNT_SID"), e.getMessage());
    assertFalse(e.getMessage().contains("COMMS_TWILIO_AUTH_TOKEN"), e.getMessage());
    LiveFixtures.assertNoSecret("message", e.getMessage());
  }

  @Test
  void neitherFromNorMessagingServiceIsAContractError() {
    CommsException e =
        assertThrows(CommsException.class, () -> new LiveFixtures.Recorder().live().provider(LiveFixtures.twilio("http://127.0.0.1:9", null, null)));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("messaging_service_sid"), e.getMessage());
  }
}
