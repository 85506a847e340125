package comms.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.operator.AuditTrail;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** register_recipient_phone and revoke_recipient_phone over MCP: the allowlist, a person's approval through elicitation, hashes in the audit. */
class ImessageToolsTest {
  static final String NOW = "2026-12-07T15:00:00Z";
  static final String PHONE = "+15551234567";

  @TempDir Path tmp;

  AgentSession session(String operator, Boolean approves) {
    return new AgentSession(
        tmp.resolve("outbox"), Map.of("COMMS_NOW", NOW),
        approves == null ? null
            : r -> approves ? new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true))
                : new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
        "--as", operator, "--actor", "agent:claude");
  }

  static Map<String, Object> registration() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("email", "lee@example.com");
    m.put("phone", PHONE);
    m.put("consent_text", "Yes, text me by iMessage. Reply STOP to end.");
    m.put("consent_at", "2026-11-02T15:04:00Z");
    return m;
  }

  static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @Test
  void anAllowlistedOperatorsAgentRegistersAndRevokesOnceAPersonApproves() {
    try (AgentSession s = session("dana@lakesideprint.com", true)) {
      Map<String, Object> done = s.ok("personalize_register_recipient_phone", registration());
      assertEquals(true, done.get("applied"));
      assertEquals(AuditTrail.hash(PHONE), done.get("phone_sha256"));
      assertTrue(s.elicited.get(0).contains("Yes, text me by iMessage."), "the person sees the disclosure: " + s.elicited.get(0));
      Map<String, Object> revoked = s.ok("revoke_recipient_phone", Map.of("email", "lee@example.com"));
      assertEquals(1, ((Number) revoked.get("recipients_revoked")).intValue());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = (List<Map<String, Object>>) s.ok("audit", Map.of("limit", 10)).get("entries");
      String all = rows.toString();
      assertTrue(all.contains("recipient.register-phone") && all.contains("recipient.revoke-phone") && all.contains("agent:claude"), all);
      assertFalse(all.contains("5551234567"), all);
    }
  }

  @Test
  void anotherOperatorIsRefusedAndAClientThatCannotAskAPersonChangesNothing() {
    try (AgentSession s = session("sam@lakesideprint.com", true)) {
      McpSchema.CallToolResult r = s.call("register_recipient_phone", registration());
      assertTrue(Boolean.TRUE.equals(r.isError()), r::toString);
      assertTrue(text(r).contains("not on the iMessage allowlist"), text(r));
    }
    try (AgentSession s = session("dana@lakesideprint.com", null)) {
      McpSchema.CallToolResult r = s.call("register_recipient_phone", registration());
      assertTrue(Boolean.TRUE.equals(r.isError()) && text(r).contains("nothing was changed"), r::toString);
      McpSchema.CallToolResult revoke = s.call("revoke_recipient_phone", Map.of("email", "lee@example.com"));
      assertTrue(text(revoke).contains("no registered phone"), text(revoke));
    }
    try (AgentSession s = session("dana@lakesideprint.com", false)) {
      McpSchema.CallToolResult r = s.call("register_recipient_phone", registration());
      assertTrue(Boolean.TRUE.equals(r.isError()) && text(r).contains("declined"), r::toString);
    }
  }
}
