package comms.core.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.StackContract;
import comms.core.contract.YamlValue;
import comms.core.store.Roster;
import comms.core.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a run acts for, what they may do, and what their audit rows and email From may hold. */
class IdentityTest {
  static final String CONTRACT =
      """
      version: 1
      default_operator: dana@lakesideprint.com
      email_from: { providers: [resend], domains: [lakesideprint.com] }
      operators:
        - { email: dana@lakesideprint.com, display_name: Dana Lake, role: admin }
        - { email: sam@lakesideprint.com, display_name: Sam Rivera, role: operator }
        - { email: pat@lakesideprint.com, display_name: Pat Old, role: operator, active: false }
        - { email: ola@partner.example, display_name: "Ola, Partner", role: operator }
      """;

  @TempDir Path tmp;

  Roster roster() {
    return Roster.of(Store.at(tmp.resolve("state/comms.db")), OperatorsContract.from(YamlValue.parse(CONTRACT, "communications.operators.yaml")));
  }

  @Test
  void asThenEnvironmentThenTheContractsDefault() {
    assertEquals("sam@lakesideprint.com", Identity.resolve(roster(), "Sam@LakesidePrint.com", "dana@lakesideprint.com", null, "u").owner());
    assertEquals("sam@lakesideprint.com", Identity.resolve(roster(), null, "sam@lakesideprint.com", null, "u").owner());
    Identity d = Identity.resolve(roster(), null, " ", null, "dana-laptop");
    assertEquals("dana@lakesideprint.com", d.owner());
    assertEquals("dana@lakesideprint.com", d.actor(), "an operator acting for themself is the actor");
    assertEquals("dana-laptop", d.osUser());
    assertFalse(d.byAgent());
    assertFalse(Files.exists(tmp.resolve("state")), "resolving reads; it never creates the store");
  }

  @Test
  void anUnknownOrInactiveOperatorIsRefusedWithExit3() {
    CommsException unknown = assertThrows(CommsException.class, () -> Identity.resolve(roster(), "mallory@example.com", null, null, "u"));
    assertEquals(ExitCode.CONTRACT, unknown.exitCode());
    assertTrue(unknown.getMessage().startsWith("--as names mallory@example.com, who is not an operator"), unknown.getMessage());
    CommsException inactive = assertThrows(CommsException.class, () -> Identity.resolve(roster(), null, "pat@lakesideprint.com", null, "u"));
    assertEquals(ExitCode.CONTRACT, inactive.exitCode());
    assertTrue(inactive.getMessage().startsWith("COMMS_OPERATOR names pat@lakesideprint.com, who is not an active operator"), inactive.getMessage());
  }

  @Test
  void anAgentActsForAnOperatorButNeverOwns() {
    Identity i = Identity.resolve(roster(), "sam@lakesideprint.com", null, "Agent:Claude", "u");
    assertEquals("agent:claude", i.actor());
    assertEquals("sam@lakesideprint.com", i.owner());
    assertTrue(i.byAgent());
    for (String as : new String[] {"agent:claude", "AGENT:claude"}) {
      CommsException e = assertThrows(CommsException.class, () -> Identity.resolve(roster(), as, null, null, "u"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("an agent can never own an action"), e.getMessage());
    }
    assertEquals(ExitCode.CONTRACT, assertThrows(CommsException.class, () -> Identity.resolve(roster(), null, "agent:claude", null, "u")).exitCode());
    for (String actor : new String[] {"claude", "sam@lakesideprint.com", "agent:", "agent:has space"}) {
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> Identity.resolve(roster(), null, null, actor, "u")).exitCode(), actor);
    }
  }

  @Test
  void adminsManageTheRosterAndReadAllOperatorsOnlyTheirOwn() {
    Identity dana = Identity.resolve(roster(), null, null, null, "u");
    Identity sam = Identity.resolve(roster(), "sam@lakesideprint.com", null, null, "u");
    assertTrue(Permissions.addOperator(dana).isEmpty());
    assertEquals("not_admin", Permissions.addOperator(sam).orElseThrow().code());
    Roster.Change cap = new Roster.Change(null, null, 5000, null, null);
    Roster.Change name = new Roster.Change("Samuel Rivera", null, null, null, null);
    assertTrue(Permissions.updateOperator(dana, "sam@lakesideprint.com", cap).isEmpty());
    assertEquals("other_operator", Permissions.updateOperator(sam, "dana@lakesideprint.com", name).orElseThrow().code());
    assertEquals("not_admin", Permissions.updateOperator(sam, "sam@lakesideprint.com", cap).orElseThrow().code());
    assertTrue(Permissions.updateOperator(sam, "SAM@lakesideprint.com", name).isEmpty());
    assertNull(Permissions.auditScope(dana, null).owner(), "an admin reads everyone's rows");
    assertEquals("sam@lakesideprint.com", Permissions.auditScope(dana, "sam@lakesideprint.com").owner());
    assertEquals("sam@lakesideprint.com", Permissions.auditScope(sam, null).owner(), "an operator reads their own");
    assertEquals("other_operator", Permissions.auditScope(sam, "dana@lakesideprint.com").refusal().code());
    StackContract.Mailbox orders = new StackContract.Mailbox("orders@lakesideprint.com", "Orders", "dana@lakesideprint.com", true);
    StackContract.Mailbox shared = new StackContract.Mailbox("info@lakesideprint.com", "Info", "", true);
    assertTrue(Permissions.sendFrom(dana, orders).isEmpty());
    assertEquals("other_operator", Permissions.sendFrom(sam, orders).orElseThrow().code());
    assertTrue(Permissions.sendFrom(sam, shared).isEmpty());
  }

  @Test
  void emailGoesOutFromTheOperatorOnlyThroughAllowedProvidersAndDomains() {
    Roster r = roster();
    OperatorsContract c = r.contract();
    Roster.Operator sam = r.find("sam@lakesideprint.com").orElseThrow();
    assertEquals("Sam Rivera <sam@lakesideprint.com>", Sender.emailFrom(c, "resend", "email", sam));
    assertNull(Sender.emailFrom(c, "twilio", "sms", sam));
    assertNull(Sender.emailFrom(c, "other-email", "email", sam));
    assertNull(Sender.emailFrom(c, "resend", "email", r.find("ola@partner.example").orElseThrow()), "a domain the provider does not send for");
    assertEquals("\"Ola, Partner\" <ola@partner.example>", Sender.mailbox("Ola, Partner", "ola@partner.example"));
    // A name stored before names were checked: no control character reaches the From header.
    assertEquals("\"Eve  Bcc: x\" <eve@lakesideprint.com>", Sender.mailbox("Eve\r\nBcc:\u0085x\u2028", "eve@lakesideprint.com"));
  }

  @Test
  void auditPayloadsRefuseAnythingThatLooksLikeAPerson() {
    AuditTrail.check(Map.of("outcome", "sent", "recipient_sha256", AuditTrail.hash("Maria@Example.org"), "gates_failed", List.of("consent"), "exit_code", 0), "payload");
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("note", "maria@example.org"), "payload"));
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("note", "call +13125550199 back"), "payload"));
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("list", List.of("x", "+13125550199")), "payload"));
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("to", "sha256:ab"), "payload"));
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("body", "hello"), "payload"));
    assertThrows(IllegalArgumentException.class, () -> AuditTrail.check(Map.of("when", Instant.EPOCH), "payload"));
    AuditTrail.check(Map.of("next_allowed_at", "2026-11-19T14:00:00Z", "error", "21610"), "payload");
  }

  @Test
  void hashesAreOfTheNormalizedRecipientAndErrorsKeepOnlyTheirCode() {
    assertEquals(AuditTrail.hash("maria.gomez@example.org"), AuditTrail.hash("  Maria.Gomez@EXAMPLE.org "));
    assertEquals(AuditTrail.hash("+13125550199"), AuditTrail.hash("+1 (312) 555-0199"));
    assertTrue(AuditTrail.hash("+13125550199").matches("sha256:[0-9a-f]{64}"));
    assertEquals("21610", AuditTrail.errorCode("21610: Attempt to send to unsubscribed recipient +13125550199"));
    assertEquals("minute_cap_exhausted:3", AuditTrail.errorCode("minute_cap_exhausted:3"));
    assertEquals("blocked", AuditTrail.errorCode("blocked: suppression: address maria@example.org is suppressed"));
    assertEquals("unclassified", AuditTrail.errorCode("maria@example.org: bounced"));
    assertNull(AuditTrail.errorCode(null));
  }
}
