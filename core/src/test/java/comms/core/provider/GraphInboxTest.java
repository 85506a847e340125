package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.SharedPeers;
import comms.core.json.Json;
import comms.core.reply.Classification;
import comms.core.reply.Inbox;
import comms.core.reply.InboundMessage;
import comms.core.reply.ReplyClassifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The owner's inbox through Graph's message delta: against Prism's mock of the Graph slice in
 * shared/peers (its delta examples and its 410), and a loopback server serving the slice's own
 * example pages for what Prism cannot do (follow a nextLink to a different page, expire a token once).
 */
class GraphInboxTest {
  static final String OWNER = "support@lakesideprint.com";
  static final Instant RESYNC_FROM = Instant.parse("2026-12-01T08:00:00Z");

  static GraphInbox inbox(String base) {
    return new GraphInbox(base, () -> "test-token", Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** The delta examples of the Graph slice (page, final, noChanges) as JSON bodies. */
  @SuppressWarnings("unchecked")
  static String example(String name) throws Exception {
    Map<String, Object> spec =
        (Map<String, Object>) new Load(LoadSettings.builder().build())
            .loadFromString(java.nio.file.Files.readString(SharedPeers.folder().resolve("specs/graph_v1.0_users_messages_sendMail.yaml")));
    Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
    Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) paths.get("/users/{user-id}/mailFolders/{mailFolder-id}/messages/delta")).get("get");
    Map<String, Object> ok = (Map<String, Object>) ((Map<String, Object>) get.get("responses")).get("200");
    Map<String, Object> examples = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ok.get("content")).get("application/json")).get("examples");
    return Json.write(((Map<String, Object>) examples.get(name)).get("value"));
  }

  @Nested
  @Tag("mocks")
  @ExtendWith(PrismMocks.class)
  class AgainstPrism {
    @Test
    void theFinalPageGivesItsMessagesAndTheDeltaLinkAndSkipsRemovedOnes() {
      Inbox.Batch b = inbox(PrismMocks.GRAPH).header("Prefer", "example=final").read(OWNER, null, null);
      assertTrue(b.cursor().contains("$deltatoken="), b.cursor());
      assertTrue(b.messages().stream().allMatch(m -> m.sourceId() != null && !m.sourceId().equals("null")), b.messages().toString());
      InboundMessage replyAll = b.messages().get(0);
      assertEquals("dev.raman@fabrikam.com", replyAll.from());
      assertTrue(replyAll.references().contains("dlv_1cb00d3c0eea549c@comms.lakesideprint.com"), replyAll.references().toString());
      assertEquals(Classification.Kind.HUMAN_REPLY, ReplyClassifier.classify(replyAll).kind());
    }

    @Test
    void anExpiredDeltaTokenResyncsAndAGoneOneAgainIsAFailure() {
      // Prism answers 410 to every request when asked: the resync is tried once, then the sync fails with Graph's code.
      CommsException e = assertThrows(CommsException.class, () -> inbox(PrismMocks.GRAPH).header("Prefer", "code=410").read(OWNER, PrismMocks.GRAPH + "/users/x/mailFolders/inbox/messages/delta?$deltatoken=old", RESYNC_FROM));
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      assertTrue(e.getMessage().contains("HTTP 410 SyncStateNotFound"), e.getMessage());
    }

    @Test
    void noChangesKeepsACursor() {
      Inbox.Batch b = inbox(PrismMocks.GRAPH).header("Prefer", "example=noChanges").read(OWNER, null, null);
      assertEquals(List.of(), b.messages());
      assertTrue(b.cursor().contains("$deltatoken="), "the link is kept as Graph wrote it (swapped to the base URL when used): " + b.cursor());
    }
  }

  @Nested
  class AgainstLoopback {
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
      return "http://127.0.0.1:" + server.getPort() + "/v1.0";
    }

    MockResponse json(int code, String body) {
      return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void aRoundFollowsNextLinkToTheDeltaLinkWithTheSelectedHeaders() throws Exception {
      server.enqueue(json(200, example("page")));
      server.enqueue(json(200, example("final")));
      Inbox.Batch b = inbox(base()).read(OWNER, null, null);
      RecordedRequest first = server.takeRequest();
      assertEquals("/v1.0/users/support%40lakesideprint.com/mailFolders/inbox/messages/delta", first.getUrl().encodedPath());
      assertTrue(first.getUrl().queryParameter("$select").contains("internetMessageHeaders"), first.getUrl().toString());
      assertEquals("Bearer test-token", first.getHeaders().get("Authorization"));
      assertTrue(first.getHeaders().get("Prefer").contains("odata.maxpagesize=50"));
      RecordedRequest second = server.takeRequest();
      assertTrue(second.getUrl().queryParameter("$skiptoken") != null, "the nextLink, on this server: " + second.getUrl());
      assertEquals(null, second.getUrl().queryParameter("$select"), "options go on the first request only");
      assertTrue(b.cursor().contains("$deltatoken="), b.cursor());
      assertTrue(inbox(base()).local(b.cursor()).startsWith(base() + "/users/"), "used on the configured base");
      // The page's human reply and out-of-office, the final page's reply-all (its @removed entry skipped).
      assertEquals(3, b.messages().size(), b.messages().toString());
      assertEquals(
          List.of(Classification.Kind.HUMAN_REPLY, Classification.Kind.OUT_OF_OFFICE, Classification.Kind.HUMAN_REPLY),
          b.messages().stream().map(m -> ReplyClassifier.classify(m).kind()).toList());
      assertEquals(List.of("dlv_1cb00d3c0eea549c@comms.lakesideprint.com"), b.messages().get(0).inReplyTo());
    }

    @Test
    void theNextRoundStartsFromTheDeltaLink() throws Exception {
      server.enqueue(json(200, example("noChanges")));
      String cursor = "https://graph.microsoft.com/v1.0/users/6c0f/mailFolders/AAMk/messages/delta?$deltatoken=abc";
      inbox(base()).read(OWNER, cursor, RESYNC_FROM);
      assertEquals("abc", server.takeRequest().getUrl().queryParameter("$deltatoken"));
    }

    @Test
    void anExpiredDeltaLinkResyncsFromTheRecordedTime() throws Exception {
      server.enqueue(json(410, "{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"The sync state generation is not found.\"}}"));
      server.enqueue(json(200, example("final")));
      Inbox.Batch b = inbox(base()).read(OWNER, base() + "/users/6c0f/mailFolders/AAMk/messages/delta?$deltatoken=expired", RESYNC_FROM);
      assertTrue(b.resynced());
      server.takeRequest();
      RecordedRequest resync = server.takeRequest();
      assertEquals("receivedDateTime ge 2026-12-01T08:00:00Z", resync.getUrl().queryParameter("$filter"));
      assertEquals(null, resync.getUrl().queryParameter("$deltatoken"));
      assertTrue(b.cursor().contains("$deltatoken="), "a new delta link to keep");
      assertEquals(1, b.messages().size());
    }

    @Test
    void anErrorAnswerIsAProviderFailureNamingGraphsCode() {
      server.enqueue(json(503, "{\"error\":{\"code\":\"serviceNotAvailable\",\"message\":\"Service unavailable\"}}"));
      CommsException e = assertThrows(CommsException.class, () -> inbox(base()).read(OWNER, null, null));
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      assertTrue(e.getMessage().contains("HTTP 503 serviceNotAvailable"), e.getMessage());
      assertTrue(!e.getMessage().contains("test-token"));
    }
  }
}
