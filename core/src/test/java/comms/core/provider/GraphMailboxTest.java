package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import comms.core.mail.MailboxSearch;
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

/**
 * Microsoft Graph through its Java SDK with azure-identity client credentials: Graph calls against
 * Prism's mock of the Graph description (and a loopback server for faults), token requests against
 * a loopback authority (no description of the token endpoint exists for Prism).
 */
class GraphMailboxTest {
  static final String MAILBOX = "orders@lakesideprint.com";

  @Nested
  @Tag("mocks")
  @ExtendWith(PrismMocks.class)
  class AgainstPrism {
    final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();
    FakeAuthority authority;

    @BeforeEach
    void start() {
      authority = new FakeAuthority();
    }

    @AfterEach
    void stop() {
      authority.close();
    }

    GraphMailbox graph() {
      return rec.live().mailbox(LiveFixtures.graph(PrismMocks.GRAPH, authority.url()));
    }

    @Test
    void probeReadsTheMailboxUserWithAClientCredentialsToken() throws Exception {
      GraphMailbox.Probe p = graph().probe(MAILBOX);
      assertEquals(MAILBOX, p.mailbox());
      assertFalse(p.id().isBlank());
      assertEquals(List.of(200, 200), rec.statuses());
      rec.assertNoValidationAnswer();
      HttpTrace.Exchange token = rec.exchanges.get(0);
      assertEquals("/{tenant}/oauth2/v2.0/token", token.path());
      assertEquals("GET", rec.exchanges.get(1).method());
      assertEquals("/users/orders%40lakesideprint.com", rec.exchanges.get(1).path());
      RecordedRequest t = authority.requests().get(0);
      assertEquals("/" + LiveFixtures.GRAPH_TENANT + "/oauth2/v2.0/token", t.getUrl().encodedPath());
      String form = t.getBody().utf8();
      assertTrue(form.contains("grant_type=client_credentials"), form);
      assertTrue(form.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"), form);
      rec.assertNoSecrets(p.toString());
    }

    @Test
    void searchQueriesMessagesWithSearchAndTop() {
      List<MailboxSearch.Hit> hits = graph().search(MAILBOX, "subject:order", 5);
      assertFalse(hits.isEmpty());
      MailboxSearch.Hit h = hits.get(0);
      assertEquals(MAILBOX, h.mailbox());
      assertFalse(h.id().isBlank());
      assertFalse(h.receivedAt().isBlank());
      rec.assertNoValidationAnswer();
    }

    @Test
    void searchForEverythingListsNewestFirst() {
      assertFalse(graph().search(MAILBOX, "*", 3).isEmpty());
      rec.assertNoValidationAnswer();
    }

    @Test
    void sendMailIsAccepted() {
      DispatchResult r = graph().sendMail(MAILBOX, "dana@lakesideprint.com", "[comms pilot] test 7f3a", "Pilot test.", "dlv-7f3a");
      assertEquals(new DispatchResult("sent", "dlv-7f3a", 1), r);
      rec.assertNoValidationAnswer();
      assertEquals("POST", rec.exchanges.get(rec.exchanges.size() - 1).method());
    }

    @Test
    void throttlingHonoursGraphsRetryAfterThenDeadLetters() {
      GraphMailbox g = graph();
      g.header("Prefer", "code=429");
      ProviderException e = assertThrows(ProviderException.class, () -> g.probe(MAILBOX));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      // the description's 429 carries Retry-After: 10
      assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)), rec.slept);
      assertEquals("graph: attempt 1 of 5 failed (429), next try in 10 seconds", rec.waits.get(0).describe());
      // one token, cached across the retries
      assertEquals(1, authority.requests().size());
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void serviceUnavailableIsRetriedThenDeadLettered() {
      GraphMailbox g = graph();
      g.header("Prefer", "code=503");
      ProviderException e = assertThrows(ProviderException.class, () -> g.search(MAILBOX, "*", 3));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }
  }

  @Nested
  class AgainstLoopback {
    final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();
    FakeAuthority authority;
    MockWebServer server;

    @BeforeEach
    void start() throws Exception {
      authority = new FakeAuthority();
      server = new MockWebServer();
      server.start();
    }

    @AfterEach
    void stop() {
      server.close();
      authority.close();
    }

    GraphMailbox graph() {
      return rec.live().mailbox(LiveFixtures.graph("http://127.0.0.1:" + server.getPort() + "/v1.0", authority.url()));
    }

    MockResponse json(int code, String body) {
      return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void sendMailCarriesOurDeliveryIdHeaderAndSavesToSentItems() throws Exception {
      server.enqueue(new MockResponse.Builder().code(202).build());
      DispatchResult r = graph().sendMail(MAILBOX, "dana@lakesideprint.com", "[comms pilot] test 7f3a", "Pilot test.", "dlv-7f3a");
      assertEquals("dlv-7f3a", r.providerMessageId());
      RecordedRequest req = server.takeRequest();
      assertEquals("/v1.0/users/orders%40lakesideprint.com/sendMail", req.getUrl().encodedPath());
      assertEquals("Bearer " + FakeAuthority.TOKEN, req.getHeaders().get("Authorization"));
      Map<String, Object> body = Json.parseObject(req.getBody().utf8());
      assertEquals(Boolean.TRUE, body.get("SaveToSentItems"), body.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> message = (Map<String, Object>) body.get("Message");
      assertEquals("[comms pilot] test 7f3a", message.get("subject"));
      assertEquals(List.of(Map.of("name", "X-Comms-Delivery-Id", "value", "dlv-7f3a")), message.get("internetMessageHeaders"));
      assertEquals(List.of(Map.of("emailAddress", Map.of("address", "dana@lakesideprint.com"))), message.get("toRecipients"));
    }

    @Test
    void searchSendsSearchAndTopAndReadsTheFields() throws Exception {
      server.enqueue(json(200, "{\"value\":[{\"id\":\"AAMk1\",\"subject\":\"Re: Order 30020\",\"receivedDateTime\":\"2026-11-18T15:04:00Z\","
          + "\"from\":{\"emailAddress\":{\"address\":\"maria.gomez@example.org\",\"name\":\"Maria\"}}}]}"));
      List<MailboxSearch.Hit> hits = graph().search(MAILBOX, "from:maria", 4);
      assertEquals(List.of(new MailboxSearch.Hit(MAILBOX, "AAMk1", "maria.gomez@example.org", "Re: Order 30020", "2026-11-18T15:04:00Z")), hits);
      RecordedRequest req = server.takeRequest();
      assertEquals("\"from:maria\"", req.getUrl().queryParameter("$search"));
      assertEquals("4", req.getUrl().queryParameter("$top"));
    }

    @Test
    void probeAnsweredWithHtmlFailsSayingSo() {
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<!DOCTYPE html><html><body>Sign in</body></html>").build());
      ProviderException e = assertThrows(ProviderException.class, () -> graph().probe(MAILBOX));
      assertEquals("failed", e.status());
      assertEquals("not_json", e.errorCode());
      assertEquals(1, e.attempts());
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      assertTrue(e.getMessage().contains("HTML page"), e.getMessage());
    }

    @Test
    void probeAnsweredWithSomethingElseThanJsonFailsSayingSo() {
      server.enqueue(json(200, "user: orders"));
      ProviderException e = assertThrows(ProviderException.class, () -> graph().probe(MAILBOX));
      assertEquals("not_json", e.errorCode());
      assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void probeAnsweredWithAnErrorBodyFailsWithGraphsCode() {
      server.enqueue(json(404, "{\"error\":{\"code\":\"ErrorInvalidUser\",\"message\":\"The requested user 'orders@lakesideprint.com' is invalid.\"}}"));
      ProviderException e = assertThrows(ProviderException.class, () -> graph().probe(MAILBOX));
      assertEquals("failed", e.status());
      assertEquals("ErrorInvalidUser", e.errorCode());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("is invalid"), e.getMessage());
    }

    @Test
    void probeRetriesAServerErrorAndAnHttpDateRetryAfter() {
      server.enqueue(new MockResponse.Builder().code(500).addHeader("Content-Type", "text/html").body("<html>oops</html>").build());
      server.enqueue(new MockResponse.Builder(json(429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}"))
          .addHeader("Retry-After", "Sun, 22 Nov 2026 15:00:20 GMT").build());
      server.enqueue(json(200, "{\"id\":\"48d31887\",\"displayName\":\"Lakeside Print Orders\"}"));
      GraphMailbox.Probe p = graph().probe(MAILBOX);
      assertEquals(new GraphMailbox.Probe(MAILBOX, "48d31887", "Lakeside Print Orders"), p);
      assertEquals(Duration.ofSeconds(20), rec.slept.get(1));
      assertEquals(List.of("500", "429"), rec.waits.stream().map(RetryPolicy.Wait::reason).toList());
    }

    @Test
    void aHungGraphTimesOutUntilDeadLettered() {
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      }
      ProviderException e = assertThrows(ProviderException.class, () -> graph().probe(MAILBOX));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertTrue(e.getMessage().contains("no response") && e.getMessage().contains("read timeout"), e.getMessage());
    }

    @Test
    void aSendMailWithoutAnAnswerIsNotRetriedBecauseItMayHaveBeenSent() {
      // sendMail has no idempotency key; issue 7's crash harness counts a second POST as a second message.
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      }
      ProviderException e =
          assertThrows(ProviderException.class, () -> graph().sendMail(MAILBOX, "dana@lakesideprint.com", "[comms pilot] t", "Pilot test.", "dlv-1"));
      assertEquals("failed", e.status());
      assertEquals(1, e.attempts());
      assertTrue(e.mayHaveSent());
      assertTrue(e.getMessage().contains("read timeout") && e.getMessage().contains("Sent Items"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void noGraphListeningIsNoResponse() {
      GraphMailbox g = rec.live().mailbox(LiveFixtures.graph("http://127.0.0.1:" + LiveFixtures.closedPort(), authority.url()));
      ProviderException e = assertThrows(ProviderException.class, () -> g.probe(MAILBOX));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertTrue(e.getMessage().contains("no response") && e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void refusedCredentialsFailAtOnceWithoutShowingThem() {
      authority.refuse();
      ProviderException e = assertThrows(ProviderException.class, () -> graph().probe(MAILBOX));
      assertEquals("failed", e.status());
      assertEquals("invalid_client", e.errorCode());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("token authority refused"), e.getMessage());
      assertEquals(0, server.getRequestCount());
      rec.assertNoSecrets(e.getMessage());
    }

    @Test
    void anUnreachableAuthorityIsRetriedThenDeadLettered() {
      GraphMailbox g = rec.live().mailbox(LiveFixtures.graph("http://127.0.0.1:" + server.getPort(), "http://127.0.0.1:" + LiveFixtures.closedPort()));
      ProviderException e = assertThrows(ProviderException.class, () -> g.probe(MAILBOX));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertTrue(e.getMessage().contains("token authority"), e.getMessage());
      assertEquals(0, server.getRequestCount());
      rec.assertNoSecrets(e.getMessage());
    }
  }

  @Test
  void missingSecretsFailBeforeAnyRequestNamingTheVariables() {
    Map<String, String> env = Map.of("COMMS_GRAPH_CLIENT_ID", LiveFixtures.GRAPH_CLIENT);
    LiveProviders live = new LiveProviders(env, new LiveFixtures.Recorder().retry(), HttpTrace.NONE);
    CommsException e = assertThrows(CommsException.class, () -> live.mailbox(LiveFixtures.graph("http://127.0.0.1:9", "http://127.0.0.1:9")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("COMMS_GRAPH_TENANT_ID, COMMS_GRAPH_CLIENT_SECRET"), e.getMessage());
    LiveFixtures.assertNoSecret("message", e.getMessage());
  }
}
