package comms.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.json.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `comms mcp` driven by the MCP SDK's client: the tools and their schemas, each tool's call, the gates, the human behind a send, and one operator only. */
class McpServerTest {
  static final String MONDAY_10_NY = "2026-12-07T15:00:00Z";
  static final String SAM = "sam@lakesideprint.com";
  static final String DANA = "dana@lakesideprint.com";
  static final List<String> TOOLS =
      List.of("get_status", "list_sequences", "search_snippets", "audit", "create_sequence", "add_recipients", "launch_sequence", "pause_sequence", "resume_sequence",
          "stop_sequence", "preview_send", "send_transactional", "register_recipient_phone", "revoke_recipient_phone");

  @TempDir Path tmp;

  /** replies.sync in the session's outbox, so the owner's reply watch is healthy for a multi-stage launch. */
  void syncReplies() {
    CliRun.Result r = new CliRun(outbox()).env("COMMS_NOW", MONDAY_10_NY).stdin("yes\n").run("replies.sync", "--execute");
    org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), r::toString);
  }

  Path outbox() {
    return tmp.resolve("outbox");
  }

  AgentSession agent(String operator) {
    return new AgentSession(outbox(), Map.of("COMMS_NOW", MONDAY_10_NY), null, "--as", operator, "--actor", "agent:claude");
  }

  AgentSession agentWithHuman(boolean approves) {
    return new AgentSession(
        outbox(), Map.of("COMMS_NOW", MONDAY_10_NY),
        r -> approves ? new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true))
            : new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
        "--as", SAM, "--actor", "agent:claude");
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> welcome() {
    return args(
        "name", "Welcome", "zone", "America/New_York", "window", args("start", "08:00", "end", "20:00"), "holidays", args("country", "US"),
        "stages", List.of(
            args("medium", "email", "delay", "0", "trigger", "always", "template", "welcome_intro.email"),
            args("medium", "email", "delay", "3d", "trigger", "no_reply", "template", "welcome_followup.email")));
  }

  static Map<String, Object> recipient(String email) {
    return args("email", email, "first_name", "Ana", "company", "Silva Studio");
  }

  static Map<String, Object> smsSend() {
    return args(
        "channel", "sms", "message_type", "payment_needed", "to", "+15551234567", "consent_state", "opted-in",
        "vars", Json.parse(Files.exists(Path.of("..", "examples", "vars", "payment_needed.json")) ? read("payment_needed.json") : "{}"));
  }

  static String read(String vars) {
    try {
      return Files.readString(CliRun.SAMPLE_BINDINGS.resolveSibling("examples").resolve("vars").resolve(vars));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> error(McpSchema.CallToolResult r) {
    assertTrue(Boolean.TRUE.equals(r.isError()), () -> "expected a tool error, got " + r);
    return (Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("error");
  }

  static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  List<Map<String, Object>> auditRows(AgentSession s) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) s.ok("audit", args("limit", 50)).get("entries");
    return rows;
  }

  // ------------------------------------------------------------------ tools/list

  @Test
  void everyToolIsListedWithItsAliasAndBothSchemas() {
    try (AgentSession s = agent(SAM)) {
      List<McpSchema.Tool> tools = s.client.listTools().tools();
      Set<String> expected = new TreeSet<>(TOOLS);
      TOOLS.forEach(t -> expected.add("personalize_" + t));
      assertEquals(expected, new TreeSet<>(tools.stream().map(McpSchema.Tool::name).toList()));
      for (McpSchema.Tool t : tools) {
        Map<String, Object> in = t.inputSchema();
        assertEquals("object", in.get("type"), t.name());
        assertEquals(false, in.get("additionalProperties"), t.name() + " refuses arguments it does not define");
        assertNotNull(t.outputSchema(), t.name());
        assertEquals("object", t.outputSchema().get("type"), t.name());
        assertFalse(((Map<?, ?>) in.get("properties")).containsKey("operator"), t.name() + ": no argument selects an operator");
      }
      McpSchema.Tool create = tools.stream().filter(t -> t.name().equals("create_sequence")).findFirst().orElseThrow();
      Map<?, ?> document = (Map<?, ?>) ((Map<?, ?>) create.inputSchema().get("properties")).get("sequence");
      assertTrue(((Map<?, ?>) document.get("properties")).containsKey("stages"), "create_sequence takes the sequence file's schema: " + document);
      McpSchema.Tool add = tools.stream().filter(t -> t.name().equals("add_recipients")).findFirst().orElseThrow();
      assertTrue(((List<?>) add.inputSchema().get("required")).containsAll(List.of("sequence_id", "recipients")));
      assertTrue(s.client.listResources().resources().stream().anyMatch(r -> r.uri().equals("comms://bindings/communications.sequences.contract.yaml")));
    }
  }

  // ------------------------------------------------------------------ each tool

  @Test
  @SuppressWarnings("unchecked")
  void aSequenceGoesFromDraftToStoppedThroughTheToolsAndEveryRowNamesTheAgent() throws Exception {
    new CliRun(outbox()).stdin("yes\n").run("suppression.add", "--domain", "do-not-contact.example.com", "--reason", "asked", "--execute");
    AgentSession s = agent(SAM);
    Map<String, Object> created = s.ok("create_sequence", args("sequence", welcome()));
    String id = (String) created.get("id");
    assertEquals(SAM, created.get("owner"));
    assertEquals("draft", created.get("state"));

    Map<String, Object> added =
        s.ok("personalize_add_recipients", args("sequence_id", id, "recipients", List.of(recipient("ana@example.net"), recipient("x@do-not-contact.example.com"),
            recipient("bad@@example.com"))));
    assertEquals(List.of("ana@example.net"), ((List<Map<String, Object>>) added.get("accepted")).stream().map(a -> a.get("email")).toList());
    assertEquals(List.of("suppressed:domain", "invalid:double_at"), ((List<Map<String, Object>>) added.get("rejected")).stream().map(a -> a.get("reason")).toList());
    assertEquals(true, added.get("written"));

    Map<String, Object> status = s.ok("get_status", args("sequence_id", id));
    assertEquals(1, ((Map<String, Object>) status.get("counts")).values().stream().mapToInt(n -> ((Number) n).intValue()).sum(), status::toString);
    assertEquals(1, ((Number) status.get("state_version")).intValue());
    List<Map<String, Object>> listed = (List<Map<String, Object>>) s.ok("list_sequences", Map.of()).get("sequences");
    assertEquals(List.of(id), listed.stream().map(x -> x.get("id")).toList());

    syncReplies(); // a launch with later stages needs the owner's reply watch healthy
    assertEquals("active", s.ok("launch_sequence", args("sequence_id", id)).get("state"));
    assertEquals("paused", s.ok("pause_sequence", args("sequence_id", id, "state_version", 2)).get("state"));
    McpSchema.CallToolResult stale = s.call("resume_sequence", args("sequence_id", id, "state_version", 2));
    assertEquals("contract", error(stale).get("kind"));
    assertEquals("active", s.ok("resume_sequence", args("sequence_id", id, "state_version", 3)).get("state"));
    assertEquals("stopped", s.ok("personalize_stop_sequence", args("sequence_id", id, "state_version", 4)).get("state"));

    List<Map<String, Object>> rows = auditRows(s);
    Set<String> actions = new TreeSet<>();
    for (Map<String, Object> r : rows) {
      if (r.get("action").toString().startsWith("sequence.")) {
        assertEquals("agent:claude", r.get("actor"), r.toString());
        assertEquals(SAM, r.get("owner"), r.toString());
        actions.add((String) r.get("action"));
      }
    }
    assertEquals(Set.of("sequence.create", "sequence.add-recipients", "sequence.launch", "sequence.pause", "sequence.resume", "sequence.stop"), actions);
    assertFalse(Json.write(rows).contains("ana@example.net"), "no recipient in clear in the audit log");
    s.close();
    assertEquals(0, s.exitCode(), s::stderr);
    String runKey = (String) rows.get(0).get("run_key");
    Map<String, Object> receipt = new comms.core.receipt.Receipts(outbox()).read(runKey);
    assertEquals("agent:claude", receipt.get("actor"));
    assertTrue(receipt.get("calls").toString().contains("tool=launch_sequence"), receipt::toString);
    assertFalse(receipt.toString().contains("ana@example.net"), "the receipt holds no recipient");
  }

  @Test
  void searchSnippetsFindsWhatTheOperatorMayRead() {
    try (AgentSession s = agent(SAM)) {
      Map<String, Object> r = s.ok("personalize_search_snippets", args("query", "renewal"));
      assertEquals("renewal", r.get("query"));
      assertTrue(r.get("hits") instanceof List, r::toString);
      assertEquals("usage", error(s.call("search_snippets", args("query", "--"))).get("kind"));
    }
  }

  @Test
  void previewSendAnswersTheVerdictAndEveryGateAndSendsNothing() {
    try (AgentSession s = agent(SAM)) {
      Map<String, Object> p = s.ok("preview_send", smsSend());
      assertEquals("allowed", p.get("verdict"));
      assertFalse(((List<?>) p.get("gates")).isEmpty());
      Map<String, Object> out = new LinkedHashMap<>(smsSend());
      out.put("consent_state", "opted-out");
      assertEquals("blocked", s.ok("preview_send", out).get("verdict"));
      McpSchema.CallToolResult bad = s.call("preview_send", new LinkedHashMap<>(Map.of("channel", "sms", "message_type", "payment_needed", "to", "+15551234567",
          "consent_state", "maybe", "vars", Map.of())));
      assertEquals("usage", error(bad).get("kind"));
      assertTrue(text(bad).contains("preview_send.consent_state 'maybe' is not known"), text(bad));
    }
    assertFalse(Files.exists(new comms.core.outbox.OutboxPaths(outbox()).deliveryLog()));
  }

  // ------------------------------------------------------------------ gates

  @Test
  void aLaunchWithoutTheApprovalItsCountNeedsIsAToolErrorNamingTheGate() {
    try (AgentSession s = agent(SAM)) {
      String id = (String) s.ok("create_sequence", args("sequence", welcome())).get("id");
      List<Map<String, Object>> many = new ArrayList<>();
      for (int i = 0; i < 51; i++) {
        many.add(recipient("r" + i + "@example.com"));
      }
      assertEquals(51, ((List<?>) s.ok("add_recipients", args("sequence_id", id, "recipients", many)).get("accepted")).size());
      syncReplies();
      McpSchema.CallToolResult r = s.call("launch_sequence", args("sequence_id", id));
      Map<String, Object> e = error(r);
      assertEquals("confirm", e.get("gate"));
      assertEquals("51–500", e.get("tier"));
      assertEquals(4, ((Number) e.get("exit_code")).intValue());
      assertTrue(text(r).startsWith("refused by the confirm approval gate (51–500 recipients):"), text(r));
      McpSchema.CallToolResult cited = s.call("launch_sequence", args("sequence_id", id, "approval", "confirm:" + DANA));
      assertTrue(text(cited).contains("no confirm approval matching"), text(cited));
      assertEquals("draft", s.ok("get_status", args("sequence_id", id)).get("state"));
    }
  }

  // ------------------------------------------------------------------ a person behind every send

  @Test
  void aTransactionalSendIsRefusedWhenTheClientCannotAskAPerson() {
    try (AgentSession s = agent(SAM)) {
      McpSchema.CallToolResult r = s.call("send_transactional", smsSend());
      Map<String, Object> e = error(r);
      assertEquals("human", e.get("gate"));
      assertTrue(text(r).contains("nothing was sent"), text(r));
      Map<String, Object> row = auditRows(s).get(0);
      assertEquals("send.execute", row.get("action"));
      assertEquals("agent:claude", row.get("actor"));
      assertEquals("refused", ((Map<?, ?>) row.get("payload")).get("outcome"));
    }
    assertFalse(Files.exists(new comms.core.outbox.OutboxPaths(outbox()).deliveryLog()), "nothing reached the journal");
  }

  @Test
  void aTransactionalSendGoesOutOnceAPersonAcceptsTheElicitation() throws Exception {
    try (AgentSession s = agentWithHuman(true)) {
      Map<String, Object> sent = s.ok("personalize_send_transactional", smsSend());
      assertEquals("simulated", sent.get("status"), sent::toString);
      assertEquals(1, s.elicited.size());
      assertTrue(s.elicited.get(0).contains("+15551234567"), "the person sees exactly what goes out: " + s.elicited.get(0));
      Map<String, Object> row = auditRows(s).get(0);
      assertEquals("send.execute", row.get("action"));
      assertEquals("agent:claude", row.get("actor"));
      assertEquals(SAM, row.get("owner"));
    }
    assertEquals(1, Files.readAllLines(new comms.core.outbox.OutboxPaths(outbox()).deliveryLog()).size());
  }

  @Test
  void aDeclinedElicitationSendsNothing() {
    try (AgentSession s = agentWithHuman(false)) {
      McpSchema.CallToolResult r = s.call("send_transactional", smsSend());
      assertEquals("declined", error(r).get("kind"));
      assertEquals(1, s.elicited.size());
    }
  }

  // ------------------------------------------------------------------ one operator only

  @Test
  void theAgentCannotActAsAnotherOperator() {
    CliRun cli = new CliRun(outbox()).env("COMMS_NOW", MONDAY_10_NY);
    CliRun.Result made = cli.stdin("yes\n").run("sequence.create", "--as", DANA, "--file",
        CliRun.SAMPLE_BINDINGS.resolveSibling("examples").resolve("sequences").resolve("welcome.sequence.yaml").toString(), "--execute", "--output", "json");
    assertEquals(0, made.exit(), made::toString);
    String danas = (String) ((Map<?, ?>) Json.parse(made.out())).get("id");
    try (AgentSession s = agent(SAM)) {
      assertTrue(text(s.call("get_status", args("sequence_id", danas))).contains("may not act on another operator's sequence"));
      assertTrue(text(s.call("pause_sequence", args("sequence_id", danas, "state_version", 1))).contains("may not act on another operator's sequence"));
      Map<String, Object> doc = new LinkedHashMap<>(welcome());
      doc.put("owner", DANA);
      assertEquals("contract", error(s.call("create_sequence", args("sequence", doc))).get("kind"));
      McpSchema.CallToolResult as = s.call("list_sequences", args("operator", DANA));
      assertTrue(Boolean.TRUE.equals(as.isError()), "an argument naming an operator is refused, not ignored: " + as);
      assertEquals(List.of(), s.ok("list_sequences", Map.of()).get("sequences"));
    }
    try (AgentSession admin = agent(DANA)) {
      Map<String, Object> doc = new LinkedHashMap<>(welcome());
      doc.put("owner", SAM);
      McpSchema.CallToolResult r = admin.call("create_sequence", args("sequence", doc));
      assertTrue(text(r).contains("agent:claude acts for " + DANA), text(r));
    }
  }

  @Test
  void aLineThatIsNoMessageIsAnsweredWithAnErrorAndTheServerStaysUp() throws Exception {
    try (AgentSession s = agent(SAM)) {
      s.raw("{not json");
      s.raw("{\"hello\": 1}");
      assertEquals(List.of(), s.ok("list_sequences", Map.of()).get("sequences"));
      List<String> errors = s.transport.parseErrors;
      assertEquals(2, errors.size(), errors::toString);
      assertTrue(errors.get(0).contains("-32700"), errors::toString);
      assertTrue(errors.get(1).contains("-32600"), errors::toString);
    }
  }

  @Test
  void withoutAnOperatorTheServerDoesNotStart() {
    CliRun.Result r = new CliRun(outbox()).run("mcp");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("--as EMAIL"), r.err());
    CliRun.Result agentOwner = new CliRun(outbox()).run("mcp", "--as", "agent:claude");
    assertEquals(3, agentOwner.exit(), agentOwner::toString);
  }
}
