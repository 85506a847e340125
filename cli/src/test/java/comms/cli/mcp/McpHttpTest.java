package comms.cli.mcp;

import static comms.cli.mcp.McpServerTest.SAM;
import static comms.cli.mcp.McpServerTest.args;
import static comms.cli.mcp.McpServerTest.error;
import static comms.cli.mcp.McpServerTest.recipient;
import static comms.cli.mcp.McpServerTest.smsSend;
import static comms.cli.mcp.McpServerTest.text;
import static comms.cli.mcp.McpServerTest.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.App;
import comms.cli.CliRun;
import comms.cli.TestApps;
import comms.core.json.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `comms mcp --listen` on a real loopback socket, driven by the MCP SDK's Streamable HTTP client: every
 * tool, a refused gate, a person behind a send, malformed messages, and the Host/Origin guard against
 * DNS rebinding.
 */
class McpHttpTest {
  @TempDir Path tmp;
  App app;
  ListenServer server;
  String url;
  int port;

  @BeforeEach
  void start() {
    Map<String, String> env = new HashMap<>();
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
    env.put("COMMS_NOW", McpServerTest.MONDAY_10_NY);
    env.put("COMMS_OPERATOR", SAM);
    env.put("NO_COLOR", "1");
    app = TestApps.app(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter(), true));
    app.options().defaultActor("agent:claude");
    server = ListenServer.start(app, new InetSocketAddress("127.0.0.1", 0));
    url = server.url();
    port = URI.create(url).getPort();
  }

  @AfterEach
  void stop() {
    server.close();
    app.close();
  }

  HttpAgent agent() {
    return new HttpAgent(url, Map.of(), null);
  }

  HttpAgent agentWithHuman(boolean approves) {
    return new HttpAgent(url, Map.of(),
        r -> approves ? new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true))
            : new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null));
  }

  Map<String, String> jsonHeaders(String host) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Host", host);
    h.put("Content-Type", "application/json");
    h.put("Accept", "application/json, text/event-stream");
    return h;
  }

  /** replies.sync in the server's outbox, so the owner's reply watch is healthy for a multi-stage launch. */
  void syncReplies() {
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", McpServerTest.MONDAY_10_NY).stdin("yes\n").run("replies.sync", "--execute");
    assertEquals(0, r.exit(), r::toString);
  }

  @Test
  void theToolsAndResourcesAreTheSameAsOnStdio() {
    try (HttpAgent a = agent()) {
      Set<String> expected = new TreeSet<>(McpServerTest.TOOLS);
      McpServerTest.TOOLS.forEach(t -> expected.add("personalize_" + t));
      assertEquals(expected, new TreeSet<>(a.client.listTools().tools().stream().map(McpSchema.Tool::name).toList()));
      List<McpSchema.Resource> resources = a.client.listResources().resources();
      assertTrue(resources.stream().anyMatch(r -> r.uri().equals(McpFeatures.AGENTS_URI) && "text/markdown".equals(r.mimeType())), resources::toString);
      assertTrue(resources.stream().anyMatch(r -> r.uri().equals("comms://bindings/communications.sequences.contract.yaml")), resources::toString);
      String agents = ((McpSchema.TextResourceContents) a.client.readResource(new McpSchema.ReadResourceRequest(McpFeatures.AGENTS_URI)).contents().get(0)).text();
      assertTrue(agents.startsWith("# AGENTS.md"), agents);
      assertTrue(agents.contains("| POST | `/mcp` | bearer |"), "the document lists /mcp: " + agents);
      a.client.ping();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyToolAnswersOverHttpAndARowNamesTheAgent() {
    try (HttpAgent a = agentWithHuman(true)) {
      String id = (String) a.ok("create_sequence", args("sequence", welcome())).get("id");
      Map<String, Object> added = a.ok("add_recipients", args("sequence_id", id, "recipients", List.of(recipient("ana@example.net"), recipient("bad@@example.com"))));
      assertEquals(1, ((List<?>) added.get("accepted")).size(), added::toString);
      assertEquals("invalid:double_at", ((List<Map<String, Object>>) added.get("rejected")).get(0).get("reason"));
      assertEquals("draft", a.ok("get_status", args("sequence_id", id)).get("state"));
      assertEquals(1, ((List<?>) a.ok("list_sequences", Map.of()).get("sequences")).size());
      syncReplies();
      assertEquals("active", a.ok("launch_sequence", args("sequence_id", id)).get("state"));
      assertEquals("paused", a.ok("pause_sequence", args("sequence_id", id, "state_version", 2)).get("state"));
      assertEquals("active", a.ok("resume_sequence", args("sequence_id", id, "state_version", 3)).get("state"));
      assertEquals("stopped", a.ok("personalize_stop_sequence", args("sequence_id", id, "state_version", 4)).get("state"));
      assertTrue(a.ok("search_snippets", args("query", "renewal")).get("hits") instanceof List);
      assertEquals("allowed", a.ok("preview_send", smsSend()).get("verdict"));
      Map<String, Object> sent = a.ok("send_transactional", smsSend());
      assertEquals("simulated", sent.get("status"), sent::toString);
      assertEquals(1, a.elicited.size(), "the person was asked over the request's event stream");
      List<Map<String, Object>> rows = (List<Map<String, Object>>) a.ok("audit", args("limit", 50)).get("entries");
      assertEquals("send.execute", rows.get(0).get("action"));
      for (Map<String, Object> r : rows) {
        assertEquals("agent:claude", r.get("actor"), r.toString());
        assertEquals(SAM, r.get("owner"), r.toString());
      }
      assertFalse(Json.write(rows).contains("ana@example.net"));
    }
  }

  @Test
  void aGateRefusesAndASendWithoutAPersonIsRefused() {
    try (HttpAgent a = agent()) {
      String id = (String) a.ok("create_sequence", args("sequence", welcome())).get("id");
      List<Map<String, Object>> many = new ArrayList<>();
      for (int i = 0; i < 51; i++) {
        many.add(recipient("r" + i + "@example.com"));
      }
      a.ok("add_recipients", args("sequence_id", id, "recipients", many));
      syncReplies();
      McpSchema.CallToolResult r = a.call("launch_sequence", args("sequence_id", id));
      assertEquals("confirm", error(r).get("gate"));
      assertTrue(text(r).startsWith("refused by the confirm approval gate"), text(r));
      McpSchema.CallToolResult send = a.call("send_transactional", smsSend());
      assertEquals("human", error(send).get("gate"));
      assertTrue(text(send).contains("nothing was sent"), text(send));
    }
    assertFalse(Files.exists(new comms.core.outbox.OutboxPaths(tmp.resolve("outbox")).deliveryLog()), "nothing reached the journal");
  }

  @Test
  void malformedMessagesAreJsonRpcErrorsAndTheServerStaysUp() throws Exception {
    try (HttpAgent a = agent()) {
      HttpAgent.Raw notJson = HttpAgent.raw(port, "POST", "/mcp", jsonHeaders("127.0.0.1:" + port), "{not json");
      assertEquals(400, notJson.status(), notJson::toString);
      assertEquals(-32700, ((Number) ((Map<?, ?>) ((Map<?, ?>) Json.parse(notJson.body())).get("error")).get("code")).intValue(), notJson::toString);
      HttpAgent.Raw noMessage = HttpAgent.raw(port, "POST", "/mcp", jsonHeaders("127.0.0.1:" + port), "{\"hello\": 1}");
      assertEquals(400, noMessage.status(), noMessage::toString);
      assertEquals(-32600, ((Number) ((Map<?, ?>) ((Map<?, ?>) Json.parse(noMessage.body())).get("error")).get("code")).intValue());
      HttpAgent.Raw noSession = HttpAgent.raw(port, "POST", "/mcp", jsonHeaders("127.0.0.1:" + port), "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}");
      assertEquals(400, noSession.status(), noSession::toString);
      assertTrue(noSession.body().contains("Mcp-Session-Id"), noSession::toString);
      HttpAgent.Raw get = HttpAgent.raw(port, "GET", "/mcp", Map.of("Host", "127.0.0.1:" + port, "Accept", "text/event-stream"), null);
      assertEquals(405, get.status(), get::toString);
      HttpAgent.Raw elsewhere = HttpAgent.raw(port, "POST", "/other", jsonHeaders("127.0.0.1:" + port), HttpAgent.initialize());
      assertEquals(404, elsewhere.status(), elsewhere::toString);
      assertEquals(List.of(), a.ok("list_sequences", Map.of()).get("sequences"), "the session still answers");
    }
  }

  @Test
  void aForeignHostOrOriginIsRefusedAgainstDnsRebinding() throws Exception {
    HttpAgent.Raw evilHost = HttpAgent.raw(port, "POST", "/mcp", jsonHeaders("evil.example.com:" + port), HttpAgent.initialize());
    assertEquals(421, evilHost.status(), evilHost::toString);
    assertTrue(evilHost.body().contains("DNS-rebinding"), evilHost::toString);
    Map<String, String> withOrigin = jsonHeaders("127.0.0.1:" + port);
    withOrigin.put("Origin", "http://evil.example.com");
    HttpAgent.Raw evilOrigin = HttpAgent.raw(port, "POST", "/mcp", withOrigin, HttpAgent.initialize());
    assertEquals(403, evilOrigin.status(), evilOrigin::toString);
    Map<String, String> local = jsonHeaders("localhost:" + port);
    local.put("Origin", "http://localhost:" + port);
    HttpAgent.Raw ok = HttpAgent.raw(port, "POST", "/mcp", local, HttpAgent.initialize());
    assertEquals(200, ok.status(), ok::toString);
    assertNotNull(ok.headers().get("mcp-session-id"), ok::toString);
  }

  @Test
  void aNonLoopbackListenAddressIsRefused() {
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).run("mcp", "--listen", "10.0.0.5:8788", "--as", SAM);
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("is not a loopback address") && r.err().contains("comms serve"), r.err());
    CliRun.Result junk = new CliRun(tmp.resolve("outbox")).run("mcp", "--listen", "nowhere", "--as", SAM);
    assertEquals(2, junk.exit(), junk::toString);
  }
}
