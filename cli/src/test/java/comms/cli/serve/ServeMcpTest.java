package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.mcp.HttpAgent;
import comms.core.json.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * comms serve's /mcp on a real socket: the SDK's Streamable HTTP client with an operator's bearer token
 * on every request, serve's own authentication in front (no token, a bad token: 401), one operator per
 * session, and the Host guard.
 */
class ServeMcpTest {
  @TempDir Path tmp;
  ServeFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ServeFixture(tmp);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  HttpAgent agent(String operator, String actor) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", "Bearer " + f.token(operator));
    if (actor != null) {
      h.put("X-Actor", actor);
    }
    return new HttpAgent(f.base + "/mcp", h, null);
  }

  int port() {
    return Integer.parseInt(f.base.substring(f.base.lastIndexOf(':') + 1));
  }

  Map<String, String> headers(String host, String token) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", host);
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json, text/event-stream");
    if (token != null) {
      h.put("Authorization", "Bearer " + token);
    }
    return h;
  }

  @Test
  @SuppressWarnings("unchecked")
  void anAgentWithTheOperatorsTokenCallsTheToolsAndTheRowsNameIt() {
    try (HttpAgent a = agent(ServeFixture.OPERATOR, "agent:claude")) {
      assertTrue(a.client.listTools().tools().stream().anyMatch(t -> t.name().equals("personalize_launch_sequence")));
      Map<String, Object> made = a.ok("create_sequence", Map.of("sequence", ServeFixture.welcome("Welcome")));
      assertEquals(ServeFixture.OPERATOR, made.get("owner"));
      List<Map<String, Object>> rows = (List<Map<String, Object>>) a.ok("audit", Map.of("limit", 5)).get("entries");
      assertEquals("sequence.create", rows.get(0).get("action"));
      assertEquals("agent:claude", rows.get(0).get("actor"));
    }
    try (HttpAgent a = agent(ServeFixture.OPERATOR, null)) {
      List<Map<String, Object>> seqs = (List<Map<String, Object>>) a.ok("list_sequences", Map.of()).get("sequences");
      assertEquals(1, seqs.size());
      a.ok("create_sequence", Map.of("sequence", ServeFixture.welcome("Second")));
      List<Map<String, Object>> rows = (List<Map<String, Object>>) a.ok("audit", Map.of("limit", 1)).get("entries");
      assertEquals("agent:mcp", rows.get(0).get("actor"), "without X-Actor the row names an agent, not the API");
    }
    assertTrue(f.get("/AGENTS.md", null).body().contains("| POST | `/mcp` | bearer |"));
  }

  @Test
  void aTransactionalSendOverServeIsAskedOfThePersonAtTheClient() throws Exception {
    Map<String, Object> send = new LinkedHashMap<>();
    send.put("channel", "sms");
    send.put("message_type", "payment_needed");
    send.put("to", "+15551234567");
    send.put("consent_state", "opted-in");
    send.put("vars", Json.parse(java.nio.file.Files.readString(ServeFixture.ROOT.resolve("examples").resolve("vars").resolve("payment_needed.json"))));
    Map<String, String> h = Map.of("Authorization", "Bearer " + f.token(ServeFixture.OPERATOR), "X-Actor", "agent:claude");
    try (HttpAgent a = new HttpAgent(f.base + "/mcp", h, r -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true)))) {
      Map<String, Object> sent = a.ok("send_transactional", send);
      assertEquals("simulated", sent.get("status"), sent::toString);
      assertEquals(1, a.elicited.size());
      assertTrue(a.elicited.get(0).contains("+15551234567"), a.elicited::toString);
    }
    try (HttpAgent a = agent(ServeFixture.OPERATOR, null)) {
      McpSchema.CallToolResult r = a.call("send_transactional", send);
      assertTrue(Boolean.TRUE.equals(r.isError()), r::toString);
      assertTrue(((McpSchema.TextContent) r.content().get(0)).text().contains("nothing was sent"), r::toString);
    }
  }

  @Test
  void withoutAValidBearerTokenNothingIsServed() throws Exception {
    HttpAgent.Raw none = HttpAgent.raw(port(), "POST", "/mcp", headers("127.0.0.1:" + port(), null), HttpAgent.initialize());
    assertEquals(401, none.status(), none::toString);
    assertTrue(none.headers().get("www-authenticate").startsWith("Bearer"), none::toString);
    HttpAgent.Raw forged = HttpAgent.raw(port(), "POST", "/mcp", headers("127.0.0.1:" + port(), "not.a.jwt"), HttpAgent.initialize());
    assertEquals(401, forged.status(), forged::toString);
    String otherSecret = BearerTokens.from(Map.of("COMMS_JWT_SECRET", "another-secret-of-at-least-thirty-two-bytes-xyz"), ServeFixture.clock())
        .mint(ServeFixture.OPERATOR, BearerTokens.Scope.API, java.time.Duration.ofMinutes(5));
    HttpAgent.Raw wrongKey = HttpAgent.raw(port(), "POST", "/mcp", headers("127.0.0.1:" + port(), otherSecret), HttpAgent.initialize());
    assertEquals(401, wrongKey.status(), wrongKey::toString);
    assertThrows(RuntimeException.class, () -> new HttpAgent(f.base + "/mcp", Map.of(), null), "the SDK client cannot initialize without a token");
  }

  @Test
  void aSessionServesOnlyTheOperatorWhoOpenedIt() throws Exception {
    HttpAgent.Raw opened = HttpAgent.raw(port(), "POST", "/mcp", headers("127.0.0.1:" + port(), f.token(ServeFixture.OPERATOR)), HttpAgent.initialize());
    assertEquals(200, opened.status(), opened::toString);
    String session = opened.headers().get("mcp-session-id");
    assertNotNull(session);
    Map<String, String> asDana = headers("127.0.0.1:" + port(), f.token(ServeFixture.ADMIN));
    asDana.put("Mcp-Session-Id", session);
    HttpAgent.Raw hijack = HttpAgent.raw(port(), "POST", "/mcp", asDana, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}");
    assertEquals(403, hijack.status(), hijack::toString);
    assertTrue(hijack.body().contains("another operator"), hijack::toString);
    HttpAgent.Raw end = HttpAgent.raw(port(), "DELETE", "/mcp", asDana, null);
    assertEquals(403, end.status(), "nor may another operator end it: " + end);

    String danas = f.draftWith(ServeFixture.ADMIN, "Danas", 0);
    try (HttpAgent sam = agent(ServeFixture.OPERATOR, "agent:claude")) {
      McpSchema.CallToolResult r = sam.call("get_status", Map.of("sequence_id", danas));
      assertTrue(Boolean.TRUE.equals(r.isError()), r::toString);
      assertTrue(((McpSchema.TextContent) r.content().get(0)).text().contains("may not act on another operator's sequence"), r::toString);
    }
  }

  @Test
  void aForeignHostIsRefusedEvenWithAToken() throws Exception {
    HttpAgent.Raw evil = HttpAgent.raw(port(), "POST", "/mcp", headers("evil.example.com", f.token(ServeFixture.OPERATOR)), HttpAgent.initialize());
    assertEquals(421, evil.status(), evil::toString);
    Map<String, String> h = headers("127.0.0.1:" + port(), f.token(ServeFixture.OPERATOR));
    h.put("Origin", "https://evil.example.com");
    HttpAgent.Raw origin = HttpAgent.raw(port(), "POST", "/mcp", h, HttpAgent.initialize());
    assertEquals(403, origin.status(), origin::toString);
    HttpAgent.Raw malformed = HttpAgent.raw(port(), "POST", "/mcp", headers("127.0.0.1:" + port(), f.token(ServeFixture.OPERATOR)), "[1,2");
    assertEquals(400, malformed.status(), malformed::toString);
    assertEquals(-32700, ((Number) ((Map<?, ?>) ((Map<?, ?>) Json.parse(malformed.body())).get("error")).get("code")).intValue());
    HttpAgent.Raw get = HttpAgent.raw(port(), "GET", "/mcp", headers("127.0.0.1:" + port(), f.token(ServeFixture.OPERATOR)), null);
    assertEquals(405, get.status(), get::toString);
  }
}
