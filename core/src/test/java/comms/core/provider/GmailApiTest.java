package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.ProvidersContract;
import comms.core.contract.Source;
import comms.core.json.Json;
import comms.core.reply.Classification;
import comms.core.reply.InboundMessage;
import comms.core.reply.Inbox;
import comms.core.reply.ReplyClassifier;
import comms.core.store.GmailWatchStore;
import comms.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.apache.james.mime4j.dom.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gmail backend against the Prism mock of Google's own description (requests that do not match
 * it get 401/415/422), a loopback token endpoint for the service account's JWT grant, and
 * MockWebServer for the faults Prism cannot produce.
 */
class GmailApiTest {
  static final String SAM = "sam@lakesideprint.com";
  static final String TOPIC = "projects/lakeside-comms/topics/gmail-replies";

  @TempDir Path tmp;
  GoogleTokenEndpoint google;
  final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

  @BeforeEach
  void start() {
    google = new GoogleTokenEndpoint();
  }

  @AfterEach
  void stop() {
    google.close();
  }

  static ProvidersContract.Provider provider(String baseUrl, String tokenUrl, Map<String, String> env) {
    return new ProvidersContract.Provider(
        new Source("communications.providers.contract.yaml", 1, 1, "providers"), "gmail", "gmail", List.of("mailbox", "email"), baseUrl, tokenUrl, env,
        null, null, LiveFixtures.CONNECT_MS, baseUrl.equals(PrismMocks.GMAIL) ? LiveFixtures.PRISM_READ_MS : LiveFixtures.READ_MS,
        ProvidersContract.Rate.defaultFor("gmail"), TOPIC);
  }

  GmailMailbox serviceAccount(String baseUrl) {
    Path key = google.writeKeyFile(tmp.resolve("sa.json"));
    Map<String, String> env = new LinkedHashMap<>(LiveFixtures.env());
    env.put("COMMS_GMAIL_SERVICE_ACCOUNT_KEY_FILE", key.toString());
    return new LiveProviders(env, rec.retry(), rec.trace())
        .gmailUsers(u -> null, LiveFixtures.CLOCK)
        .gmail(provider(baseUrl, google.url(), Map.of("service_account_key_file", "COMMS_GMAIL_SERVICE_ACCOUNT_KEY_FILE")));
  }

  static Dispatch stage() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Message-ID", "<dlv_1cb00d3c0eea549c@lakesideprint.com>");
    h.put(Dispatch.DELIVERY_ID_HEADER, "dlv_1cb00d3c0eea549c");
    return new Dispatch("dlv_1cb00d3c0eea549c", "k1", "email", "Sam Rivera <sam@lakesideprint.com>", "ana.pereira@example.org",
        "Welcome to Lakeside Print, Ana", "Hello Ana,\nwelcome aboard. — Sam", null, h);
  }

  @Test
  void theMessageIsRfc5322FromTheOwnerWithOurMessageIdAndDeliveryId() throws Exception {
    byte[] raw = GmailMailbox.rfc5322(stage(), LiveFixtures.CLOCK);
    Message m = Message.Builder.of(new java.io.ByteArrayInputStream(raw)).build();
    assertEquals("sam@lakesideprint.com", m.getFrom().get(0).getAddress());
    assertEquals("Sam Rivera", m.getFrom().get(0).getName());
    assertEquals("<dlv_1cb00d3c0eea549c@lakesideprint.com>", m.getMessageId());
    assertEquals("dlv_1cb00d3c0eea549c", m.getHeader().getField("X-Comms-Delivery-Id").getBody());
    assertEquals("Welcome to Lakeside Print, Ana", m.getSubject());
    assertEquals(Instant.parse("2026-11-22T15:00:00Z"), m.getDate().toInstant());
    String text = new String(raw, StandardCharsets.UTF_8);
    assertTrue(text.contains("\r\n\r\n"), "CRLF header/body separation");
    assertFalse(text.contains(GmailMailbox.THREAD_ID));
  }

  @Nested
  @ExtendWith(PrismMocks.Plain.class)
  class AgainstPrism {
    @Test
    void sendAsTheOwnerWithADelegatedServiceAccountToken() {
      GmailMailbox gmail = serviceAccount(PrismMocks.GMAIL);
      DispatchResult r = gmail.send(stage());
      assertEquals(new DispatchResult("sent", "19ad9a3c2b7d4e58", 1), r);
      rec.assertNoValidationAnswer();
      assertEquals("/gmail/v1/users/sam@lakesideprint.com/messages/send", rec.exchanges.get(0).path());
      GoogleTokenEndpoint.Grant g = google.grants().get(0);
      assertEquals("jwt-bearer", g.kind());
      assertEquals(SAM, g.subject(), "the service account impersonates the owner (domain-wide delegation)");
      assertTrue(g.scope().contains("https://www.googleapis.com/auth/gmail.send") && g.scope().contains("gmail.readonly"), g.scope());
    }

    @Test
    void watchHistoryAndMetadataReadAReplyTheClassifierKnows() throws Exception {
      GmailApi api = serviceAccount(PrismMocks.GMAIL).api();
      GmailApi.Watch w = api.watch(SAM, TOPIC);
      assertEquals(new GmailApi.Watch("4824610", 1796720400000L), w);
      api.header("Prefer", "example=messagesAdded");
      GmailApi.HistoryPage page = api.history(SAM, "4824533", null);
      assertEquals(List.of("19ad9a3dd2c6a9b4"), page.added());
      assertEquals("4824610", page.historyId());
      api.header("Prefer", "example=metadata");
      InboundMessage m = GmailInbox.message(SAM, api.metadata(SAM, "19ad9a3dd2c6a9b4"));
      rec.assertNoValidationAnswer();
      assertEquals("ana.pereira@example.org", m.from());
      assertEquals(List.of("20261201090000.3f9c2a7e@comms.example.com"), m.inReplyTo());
      assertEquals(Instant.parse("2026-12-01T09:00:07Z"), m.receivedAt());
      Classification c = ReplyClassifier.classify(m);
      assertEquals(Classification.Kind.OUT_OF_OFFICE, c.kind(), c::toString);
      assertEquals(java.time.LocalDate.parse("2026-12-07"), c.returnDate(), "the return date is read from Gmail's snippet");
    }
  }

  @Nested
  class Faults {
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

    MockResponse google(int code, String reason, String message) {
      return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
          .body("{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"X\",\"errors\":[{\"reason\":\"" + reason
              + "\",\"domain\":\"usageLimits\",\"message\":\"" + message + "\"}]}}")
          .build();
    }

    static MockResponse ok(String body) {
      return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void a429HonoursRetryAfterThenSends() {
      server.enqueue(new MockResponse.Builder(google(429, "rateLimitExceeded", "Too many requests")).addHeader("Retry-After", "7").build());
      server.enqueue(ok("{\"id\":\"m1\",\"threadId\":\"t1\",\"labelIds\":[\"SENT\"]}"));
      DispatchResult r = serviceAccount(base()).send(stage());
      assertEquals(new DispatchResult("sent", "m1", 2), r);
      assertEquals(List.of(Duration.ofSeconds(7)), rec.slept);
    }

    @Test
    void a403UserRateLimitBacksOffExponentiallyFiveTimesThenDeadLetters() {
      for (int i = 0; i < 5; i++) {
        server.enqueue(google(403, "userRateLimitExceeded", "User-rate limit exceeded."));
      }
      ProviderException e = assertThrows(ProviderException.class, () -> serviceAccount(base()).send(stage()));
      assertEquals("dead_letter", e.status());
      assertEquals(5, e.attempts());
      assertEquals("userRateLimitExceeded", e.errorCode());
      assertEquals(List.of(375L, 750L, 1500L, 3000L), rec.slept.stream().map(Duration::toMillis).toList(), "equal-jitter exponential backoff");
      assertEquals(5, server.getRequestCount());
    }

    @Test
    void another4xxFailsAtOnceWithGooglesMessage() {
      server.enqueue(google(400, "invalidArgument", "Invalid To header"));
      ProviderException e = assertThrows(ProviderException.class, () -> serviceAccount(base()).send(stage()));
      assertEquals("failed", e.status());
      assertEquals(1, e.attempts());
      assertTrue(e.getMessage().contains("Invalid To header"), e.getMessage());
      assertEquals(1, server.getRequestCount());
    }

    @Test
    void a403ThatIsNotAQuotaIsNotRetried() {
      server.enqueue(google(403, "forbidden", "Delegation denied for sam@lakesideprint.com"));
      ProviderException e = assertThrows(ProviderException.class, () -> serviceAccount(base()).send(stage()));
      assertEquals("failed", e.status());
      assertTrue(e.getMessage().contains("Delegation denied"), e.getMessage());
    }

    @Test
    void aSendWhoseAnswerWasLostIsNeverRetried() {
      for (int i = 0; i < 5; i++) {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      }
      ProviderException e = assertThrows(ProviderException.class, () -> serviceAccount(base()).send(stage()));
      assertEquals("failed", e.status());
      assertTrue(e.mayHaveSent());
      assertEquals(1, server.getRequestCount());
      assertTrue(e.getMessage().contains("Sent folder"), e.getMessage());
    }

    @Test
    void aRefusedDelegationSaysWhatToCheckWithoutSecrets() {
      google.refuse("Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.");
      ProviderException e = assertThrows(ProviderException.class, () -> serviceAccount(base()).send(stage()));
      assertEquals("failed", e.status());
      assertEquals("unauthorized_client", e.errorCode());
      assertTrue(e.getMessage().contains("domain-wide delegation"), e.getMessage());
      assertEquals(0, server.getRequestCount(), "Gmail is not called without a token");
    }

    @Test
    void aRefreshTokenGrantWorksToo() throws Exception {
      server.enqueue(ok("{\"id\":\"m2\",\"threadId\":\"t2\"}"));
      Map<String, String> env = new LinkedHashMap<>();
      env.put("COMMS_GMAIL_CLIENT_ID", GoogleTokenEndpoint.CLIENT_ID);
      env.put("COMMS_GMAIL_CLIENT_SECRET", GoogleTokenEndpoint.CLIENT_SECRET);
      env.put("COMMS_GMAIL_REFRESH_TOKEN_SAM", GoogleTokenEndpoint.REFRESH_TOKEN);
      GmailMailbox gmail = new LiveProviders(env, rec.retry(), rec.trace())
          .gmailUsers(u -> u.equals(SAM) ? "COMMS_GMAIL_REFRESH_TOKEN_SAM" : null, LiveFixtures.CLOCK)
          .gmail(provider(base(), google.url(), Map.of("client_id", "COMMS_GMAIL_CLIENT_ID", "client_secret", "COMMS_GMAIL_CLIENT_SECRET")));
      assertEquals("m2", gmail.send(stage()).providerMessageId());
      assertEquals("refresh_token", google.grants().get(0).kind());
      RecordedRequest r = server.takeRequest();
      assertEquals("Bearer " + GoogleTokenEndpoint.tokenFor("refresh"), r.getHeaders().get("Authorization"));
      Map<String, Object> body = Json.parseObject(r.getBody().utf8());
      String raw = new String(Base64.getUrlDecoder().decode((String) body.get("raw")), StandardCharsets.UTF_8);
      assertTrue(raw.contains("Message-ID: <dlv_1cb00d3c0eea549c@lakesideprint.com>"), raw);
      for (HttpTrace.Exchange x : rec.exchanges) {
        assertFalse(x.line().contains(GoogleTokenEndpoint.REFRESH_TOKEN) || x.line().contains(GoogleTokenEndpoint.CLIENT_SECRET));
      }
    }

    @Test
    void aStaleHistoryIdResyncsByABoundedMessagesListAndSaysSo() throws Exception {
      try (Store store = Store.at(tmp.resolve("state.db"))) {
        GmailApi api = serviceAccount(base()).api();
        GmailWatchStore watches = GmailWatchStore.of(store);
        watches.watched(SAM, TOPIC, "100", Instant.parse("2026-11-28T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"));
        server.enqueue(google(404, "notFound", "Requested entity was not found."));
        server.enqueue(ok("{\"messages\":[{\"id\":\"r1\",\"threadId\":\"t1\"}],\"resultSizeEstimate\":1}"));
        server.enqueue(ok("{\"historyId\":\"900\",\"expiration\":\"1796720400000\"}"));
        server.enqueue(ok("{\"id\":\"r1\",\"threadId\":\"t1\",\"labelIds\":[\"INBOX\"],\"snippet\":\"Sounds good\",\"internalDate\":\"1795878000000\","
            + "\"payload\":{\"headers\":[{\"name\":\"From\",\"value\":\"Ana <ana.pereira@example.org>\"},{\"name\":\"Subject\",\"value\":\"Re: Welcome\"},"
            + "{\"name\":\"In-Reply-To\",\"value\":\"<dlv_1cb00d3c0eea549c@lakesideprint.com>\"}]}}"));
        GmailInbox inbox = new GmailInbox(api, new GmailWatches(api, "gmail", TOPIC, watches, LiveFixtures.CLOCK), watches, LiveFixtures.CLOCK);
        Inbox.Batch b = inbox.read(SAM, "100", Instant.parse("2026-11-21T12:00:00Z"));
        assertTrue(b.resynced());
        assertEquals("900", b.cursor(), "history resumes from the fresh watch's historyId");
        assertEquals(List.of("r1"), b.messages().stream().map(InboundMessage::sourceId).toList());
        assertEquals("/gmail/v1/users/sam@lakesideprint.com/history", server.takeRequest().getUrl().encodedPath());
        RecordedRequest list = server.takeRequest();
        assertEquals("in:inbox after:" + Instant.parse("2026-11-21T12:00:00Z").getEpochSecond(), list.getUrl().queryParameter("q"));
        assertEquals("100", list.getUrl().queryParameter("maxResults"));
        assertEquals("/gmail/v1/users/sam@lakesideprint.com/watch", server.takeRequest().getUrl().encodedPath());
        RecordedRequest get = server.takeRequest();
        assertEquals("metadata", get.getUrl().queryParameter("format"));
        assertTrue(get.getUrl().queryParameterValues("metadataHeaders").containsAll(List.of("In-Reply-To", "References", "Auto-Submitted")));
      }
    }

    @Test
    void theWatchIsRenewedOnlyWhenLessThanADayIsLeft() throws Exception {
      try (Store store = Store.at(tmp.resolve("state.db"))) {
        GmailApi api = serviceAccount(base()).api();
        GmailWatchStore watches = GmailWatchStore.of(store);
        GmailWatches w = new GmailWatches(api, "gmail", TOPIC, watches, LiveFixtures.CLOCK);
        watches.watched(SAM, TOPIC, "100", LiveFixtures.NOW.plus(Duration.ofDays(2)), LiveFixtures.NOW.minus(Duration.ofDays(5)));
        assertEquals("100", w.renewIfDue(SAM).historyId());
        assertEquals(0, server.getRequestCount());
        watches.watched(SAM, TOPIC, "100", LiveFixtures.NOW.plus(Duration.ofHours(20)), LiveFixtures.NOW.minus(Duration.ofDays(6)));
        server.enqueue(ok("{\"historyId\":\"555\",\"expiration\":\"1796720400000\"}"));
        GmailWatchStore.GmailWatch renewed = w.renewIfDue(SAM);
        assertEquals("555", renewed.historyId());
        assertEquals(Instant.ofEpochMilli(1796720400000L), renewed.expiration());
        Map<String, Object> body = Json.parseObject(server.takeRequest().getBody().utf8());
        assertEquals(TOPIC, body.get("topicName"));
        assertEquals(List.of("INBOX"), body.get("labelIds"));
      }
    }
  }
}
