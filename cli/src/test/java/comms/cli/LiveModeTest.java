package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.provider.FakeAuthority;
import comms.core.provider.LiveFixtures;
import comms.core.provider.PrismMocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** stack.status and mail.search in live-pilot mode, through the real parser, against Graph's mock and a loopback token authority. */
class LiveModeTest {
  @TempDir Path tmp;
  FakeAuthority authority;

  @BeforeEach
  void authority() {
    authority = new FakeAuthority();
  }

  @AfterEach
  void close() {
    authority.close();
  }

  CliRun cli(String graphBase) {
    CliRun c = new CliRun(tmp.resolve("outbox")).bindings(CliRun.livePilotBindings(tmp, graphBase, authority.url()));
    LiveFixtures.env().forEach(c::env);
    return c;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  static Map<?, ?> check(CliRun.Result r, String name) {
    return ((List<?>) json(r).get("checks")).stream().map(c -> (Map<?, ?>) c).filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
  }

  /** No sentinel secret in stdout, stderr or any file under the temp folder (outbox included). */
  void assertNoSecrets(CliRun.Result r) throws IOException {
    LiveFixtures.assertNoSecret("stdout", r.out());
    LiveFixtures.assertNoSecret("stderr", r.err());
    try (Stream<Path> files = Files.walk(tmp.resolve("outbox")).filter(Files::isRegularFile)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        LiveFixtures.assertNoSecret(f.toString(), Files.readString(f));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing written
    }
  }

  @Nested
  @Tag("mocks")
  @ExtendWith(PrismMocks.Plain.class)
  class AgainstPrism {
    @Test
    void stackStatusProbesThePilotMailboxAndSaysNothingElse() throws IOException {
      CliRun.Result r = cli(PrismMocks.GRAPH).run("stack.status", "-o", "json");
      assertEquals(0, r.exit(), r::toString);
      Map<?, ?> probe = check(r, "graph probe");
      assertEquals("pass", probe.get("result"), r::toString);
      assertTrue(((String) probe.get("reason")).startsWith("orders@lakesideprint.com answered through http://127.0.0.1:4012"), r::toString);
      assertEquals("", r.err(), "no SDK log lines without --verbose");
      assertNoSecrets(r);
    }

    @Test
    void verboseShowsOneLinePerHttpExchangeAndNoCredentials() throws IOException {
      CliRun.Result r = cli(PrismMocks.GRAPH).run("stack.status", "--verbose");
      assertEquals(0, r.exit(), r::toString);
      List<String> lines = r.err().lines().toList();
      assertEquals(2, lines.size(), r::toString);
      assertTrue(lines.get(0).matches("comms: http POST 127\\.0\\.0\\.1:\\d+ /\\{tenant}/oauth2/v2\\.0/token 200 \\d+ ms"), lines.get(0));
      assertTrue(lines.get(1).matches("comms: http GET 127\\.0\\.0\\.1:4012 /users/orders%40lakesideprint\\.com 200 \\d+ ms"), lines.get(1));
      assertFalse(r.err().contains("Bearer") || r.err().contains("Authorization") || r.err().contains(FakeAuthority.TOKEN), r::toString);
      assertNoSecrets(r);
    }

    @Test
    void mailSearchQueriesEveryActiveMailboxThroughGraph() throws IOException {
      CliRun.Result r = cli(PrismMocks.GRAPH).run("mail.search", "--query", "subject:order", "--top", "5", "-o", "json");
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> m = json(r);
      assertEquals("live-pilot", m.get("mode"));
      List<?> msgs = (List<?>) m.get("messages");
      assertFalse(msgs.isEmpty(), r::toString);
      Map<?, ?> first = (Map<?, ?>) msgs.get(0);
      for (String k : List.of("mailbox", "id", "from", "subject", "received_at")) {
        assertTrue(first.containsKey(k), k);
      }
      assertEquals("", r.err());
      assertNoSecrets(r);
    }

    @Test
    void mailSearchTableShowsSenderSubjectReceivedAndId() {
      CliRun.Result r = cli(PrismMocks.GRAPH).run("mail.search", "--query", "*", "--mailbox", "proofs@lakesideprint.com", "--top", "1");
      assertEquals(0, r.exit(), r::toString);
      assertTrue(r.out().contains("RECEIVED") && r.out().contains("FROM") && r.out().contains("SUBJECT") && r.out().contains("ID"), r::toString);
      assertTrue(r.out().contains("1 message (live-pilot)"), r::toString);
    }
  }

  @Nested
  class AgainstLoopback {
    MockWebServer graph;

    @BeforeEach
    void start() throws IOException {
      graph = new MockWebServer();
      graph.start();
    }

    @AfterEach
    void stop() {
      graph.close();
    }

    String base() {
      return "http://127.0.0.1:" + graph.getPort() + "/v1.0";
    }

    @Test
    void aProbeAnsweredWithHtmlFailsWithExit6SayingSo() throws IOException {
      graph.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<html><body>Sign in</body></html>").build());
      CliRun.Result r = cli(base()).run("stack.status", "-o", "json");
      assertEquals(6, r.exit(), r::toString);
      Map<?, ?> probe = check(r, "graph probe");
      assertEquals("fail", probe.get("result"));
      assertTrue(((String) probe.get("reason")).contains("HTML page"), r::toString);
      assertEquals(Boolean.FALSE, json(r).get("ok"));
      assertNoSecrets(r);
    }

    @Test
    void aProbeWithAnErrorBodyFailsWithExit6AndGraphsCode() {
      graph.enqueue(new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json")
          .body("{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied. Check credentials and try again.\"}}").build());
      CliRun.Result r = cli(base()).run("stack.status");
      assertEquals(6, r.exit(), r::toString);
      assertTrue(r.out().contains("ErrorAccessDenied") && r.out().contains("Access is denied"), r::toString);
    }

    @Test
    void noGraphAnsweringRetriesOnStderrThenExits6() throws IOException {
      CliRun c = cli("http://127.0.0.1:" + LiveFixtures.closedPort());
      CliRun.Result r = c.run("stack.status", "-o", "json");
      assertEquals(6, r.exit(), r::toString);
      List<String> waits = r.err().lines().toList();
      assertEquals(4, waits.size(), r::toString);
      assertTrue(waits.get(0).matches("comms: graph: attempt 1 of 5 failed \\(connection refused\\), next try in [0-9.]+ seconds?"), waits.get(0));
      assertTrue(waits.get(3).startsWith("comms: graph: attempt 4 of 5 failed"), waits.get(3));
      String reason = (String) check(r, "graph probe").get("reason");
      assertTrue(reason.contains("gave up after 5 attempts") && reason.contains("no response"), reason);
      assertNoSecrets(r);
    }

    @Test
    void missingSecretsFailTheProbeWithExit3NamingTheVariables() {
      CliRun c = new CliRun(tmp.resolve("outbox")).bindings(CliRun.livePilotBindings(tmp, base(), authority.url()));
      c.env("COMMS_GRAPH_CLIENT_ID", LiveFixtures.GRAPH_CLIENT);
      CliRun.Result r = c.run("stack.status", "-o", "json");
      assertEquals(3, r.exit(), r::toString);
      String reason = (String) check(r, "graph probe").get("reason");
      assertTrue(reason.contains("COMMS_GRAPH_TENANT_ID, COMMS_GRAPH_CLIENT_SECRET"), reason);
      assertFalse(reason.contains(LiveFixtures.GRAPH_CLIENT), reason);
      assertEquals(0, graph.getRequestCount());
      assertTrue(authority.requests().isEmpty());
    }

    @Test
    void mailSearchWithMissingSecretsExits3BeforeAnyRequest() {
      CliRun c = new CliRun(tmp.resolve("outbox")).bindings(CliRun.livePilotBindings(tmp, base(), authority.url()));
      CliRun.Result r = c.run("mail.search", "--query", "*");
      assertEquals(3, r.exit(), r::toString);
      assertTrue(r.err().contains("COMMS_GRAPH_TENANT_ID, COMMS_GRAPH_CLIENT_ID, COMMS_GRAPH_CLIENT_SECRET"), r::toString);
      assertEquals("", r.out());
      assertEquals(0, graph.getRequestCount());
    }

    @Test
    void mailSearchFailureIsExit6WithTheReason() {
      for (int i = 0; i < 5; i++) {
        graph.enqueue(new MockResponse.Builder().code(503).body("busy").build());
      }
      CliRun.Result r = cli(base()).run("mail.search", "--query", "*", "--mailbox", "orders@lakesideprint.com");
      assertEquals(6, r.exit(), r::toString);
      assertTrue(r.err().contains("gave up after 5 attempts") && r.err().contains("HTTP 503"), r::toString);
      assertEquals(5, graph.getRequestCount());
    }
  }
}
