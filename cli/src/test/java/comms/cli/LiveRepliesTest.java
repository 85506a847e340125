package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.provider.FakeAuthority;
import comms.core.provider.LiveFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replies.sync in live mode through the real parser: Graph's inbox delta on a loopback server, a token from a loopback authority. */
class LiveRepliesTest {
  static final String DANA = "dana@lakesideprint.com";

  @TempDir Path tmp;
  FakeAuthority authority;
  MockWebServer graph;

  @BeforeEach
  void start() throws Exception {
    authority = new FakeAuthority();
    graph = new MockWebServer();
    graph.start();
  }

  @AfterEach
  void stop() {
    graph.close();
    authority.close();
  }

  Path bindings;

  CliRun cli() {
    if (bindings == null) {
      bindings = CliRun.livePilotBindings(tmp, "http://127.0.0.1:" + graph.getPort() + "/v1.0", authority.url());
      CliRun.edit(bindings, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    }
    Path b = bindings;
    CliRun c = new CliRun(tmp.resolve("outbox")).bindings(b).env("COMMS_NOW", "2026-12-07T15:00:00Z");
    LiveFixtures.env().forEach(c::env);
    return c;
  }

  static String delta(String token, String messagesJson) {
    return "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#Collection(message)\",\"@odata.deltaLink\":"
        + "\"https://graph.microsoft.com/v1.0/users/6c0f/mailFolders/AAMk/messages/delta?$deltatoken=" + token + "\",\"value\":" + messagesJson + "}";
  }

  @Test
  void aLiveSyncReadsTheOwnersInboxDeltaKeepsTheDeltaLinkAndTheWatchIsHealthy() throws Exception {
    graph.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(delta("first", "[]")).build());
    graph.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(delta("second", "[]")).build());
    CliRun.Result r = cli().stdin("yes\n").run("replies.sync", "--owner", DANA, "--execute", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> owner = ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.out())).get("owners")).get(0);
    assertEquals("microsoft-graph", owner.get("source"));
    RecordedRequest first = graph.takeRequest();
    assertEquals("/v1.0/users/dana%40lakesideprint.com/mailFolders/inbox/messages/delta", first.getUrl().encodedPath());
    assertEquals("Bearer " + FakeAuthority.TOKEN, first.getHeaders().get("Authorization"));
    CliRun.Result again = cli().stdin("yes\n").run("replies.sync", "--owner", DANA, "--execute");
    assertEquals(0, again.exit(), again::toString);
    assertEquals("first", graph.takeRequest().getUrl().queryParameter("$deltatoken"), "the second round starts from the kept delta link");
    CliRun.Result status = cli().run("replies.status", "--output", "json");
    @SuppressWarnings("unchecked")
    Map<String, Object> w = ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(status.out())).get("watches")).get(0);
    assertEquals(Boolean.TRUE, w.get("healthy"));
    for (String secret : LiveFixtures.SECRETS) {
      assertTrue(!r.out().contains(secret) && !r.err().contains(secret) && !status.out().contains(secret));
    }
  }

  @Test
  void aGraphFailureIsExit6AndTheWatchKeepsTheError() {
    graph.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
        .body("{\"error\":{\"code\":\"serviceNotAvailable\",\"message\":\"Service unavailable\"}}").build());
    CliRun.Result r = cli().stdin("yes\n").run("replies.sync", "--owner", DANA, "--execute");
    assertEquals(6, r.exit(), r::toString);
    String status = cli().run("replies.status").out();
    assertTrue(status.contains("HTTP 503 serviceNotAvailable") && status.contains("unhealthy"), status);
  }
}
