package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mail.send.test, consent, suppression and inbound keywords through the real parser. */
class MutatingCommandsTest {
  static final String DAYTIME = "2026-11-18T17:00:00Z";
  static final String ORDER_READY = "{\"customer_name\":\"Maria\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";

  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", DAYTIME);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @Test
  void sendTestIsFoundBySearchingItsToken() throws Exception {
    CliRun.Result sent = cli().stdin("yes\n").run("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot test", "--body", "hello", "--execute", "-o", "json");
    assertEquals(0, sent.exit(), sent::toString);
    Map<String, Object> m = json(sent);
    assertEquals("simulated", m.get("status"));
    String token = (String) m.get("token");
    assertTrue(token.matches("CT-[0-9A-F]{8}"), token);
    assertTrue(((String) m.get("subject")).startsWith("[comms pilot] pilot test [CT-"));
    CliRun.Result found = cli().run("mail.search", "--query", token, "-o", "json");
    List<?> msgs = (List<?>) json(found).get("messages");
    assertEquals(1, msgs.size(), found::toString);
    assertEquals("orders@lakesideprint.com", ((Map<?, ?>) msgs.get(0)).get("mailbox"));
    String last = Files.readString(tmp.resolve("outbox/communications/communications-send-test-last.yaml"));
    assertTrue(last.contains("token: " + token), last);
    assertTrue(Files.readString(tmp.resolve("outbox/communications/communications-delivery-log.jsonl")).contains("\"channel\":\"mailbox\""));
  }

  @Test
  void sendTestDeclinedSendsNothing() {
    CliRun.Result r = cli().stdin("no\n").run("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot test", "--body", "hello", "--execute", "-o", "json");
    assertEquals(5, r.exit(), r::toString);
    assertEquals(0, ((List<?>) json(cli().run("mail.search", "--query", "pilot test", "-o", "json")).get("messages")).size());
  }

  @Test
  void sendTestOnlyFromActivePilotMailboxesAndToValidAddresses() {
    assertEquals(2, cli().stdin("yes\n").run("mail.send.test", "--to", "a@b", "--subject", "s", "--body", "b", "--execute").exit());
    assertEquals(2, cli().stdin("yes\n").run("mail.send.test", "--to", "x@example.com", "--from", "billing@lakesideprint.com", "--subject", "s", "--body", "b", "--execute").exit());
    assertEquals(2, cli().stdin("yes\n").run("mail.send.test", "--to", "x@example.com", "--from", "someone@else.com", "--subject", "s", "--body", "b", "--execute").exit());
    assertFalse(Files.exists(tmp.resolve("outbox")));
  }

  @Test
  void sendTestDryRunWritesNoEvidence() {
    CliRun.Result r = cli().run("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "s", "--body", "b");
    assertEquals(0, r.exit(), r::toString);
    assertFalse(Files.exists(tmp.resolve("outbox/communications")));
  }

  @Test
  void suppressedDomainBlocksAndCanBeLifted() {
    CliRun.Result add = cli().stdin("yes\n").run("suppression.add", "--domain", "example.org", "--reason", "bounced", "--execute");
    assertEquals(0, add.exit(), add::toString);
    CliRun.Result list = cli().run("suppression.list", "-o", "json");
    assertEquals(1, ((List<?>) json(list).get("suppressions")).size(), list::toString);
    CliRun.Result blocked =
        cli().run("send.preview", "--channel", "email", "--message-type", "order_ready", "--to", "maria.gomez@example.org", "--consent-state", "implied", "--vars-json", ORDER_READY, "-o", "json");
    assertEquals(4, blocked.exit(), blocked::toString);
    assertTrue(blocked.out().contains("example.org is suppressed: bounced"), blocked::toString);
    assertEquals(0, cli().stdin("yes\n").run("suppression.remove", "--domain", "example.org", "--execute").exit());
    CliRun.Result ok =
        cli().run("send.preview", "--channel", "email", "--message-type", "order_ready", "--to", "maria.gomez@example.org", "--consent-state", "implied", "--vars-json", ORDER_READY);
    assertEquals(0, ok.exit(), ok::toString);
  }

  @Test
  void suppressionDryRunAndDeclineChangeNothing() {
    assertEquals(0, cli().run("suppression.add", "--address", "+13125550199", "--reason", "asked").exit());
    assertEquals(5, cli().stdin("y\n").run("suppression.add", "--address", "+13125550199", "--reason", "asked", "--execute").exit());
    assertEquals(0, ((List<?>) json(cli().run("suppression.list", "-o", "json")).get("suppressions")).size());
    assertEquals(2, cli().run("suppression.add", "--address", "+1555", "--reason", "x").exit());
    assertEquals(2, cli().run("suppression.add", "--domain", "not a domain", "--reason", "x").exit());
    assertEquals(2, cli().run("suppression.add", "--domain", "a.com", "--address", "b@c.com", "--reason", "x").exit());
  }

  @Test
  void inboundStopRecordsOptOutAndRepliesThenStartOptsBackIn() {
    CliRun.Result stop = cli().stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", " stop ", "--execute", "-o", "json");
    assertEquals(0, stop.exit(), stop::toString);
    Map<String, Object> m = json(stop);
    assertEquals("opt-out", m.get("action"));
    assertEquals(Boolean.TRUE, m.get("recorded"));
    assertTrue(((String) m.get("reply")).contains("unsubscribed"));
    String[] preview = {"send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", "+13125550199", "--consent-state", "opted-in", "--vars-json", ORDER_READY};
    assertEquals(4, cli().run(preview).exit());
    CliRun.Result start = cli().stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", "START", "--execute", "-o", "json");
    assertEquals("opt-in", json(start).get("action"));
    assertEquals(0, cli().run(preview).exit());
  }

  @Test
  void inboundHelpAndOrdinaryTextRecordNothing() {
    CliRun.Result help = cli().run("inbound.sms", "--from", "+13125550199", "--body", "help", "-o", "json");
    assertEquals(0, help.exit(), help::toString);
    assertTrue(((String) json(help).get("reply")).contains("Msg&data rates may apply"));
    CliRun.Result text = cli().run("inbound.sms", "--from", "+13125550199", "--body", "thanks, see you Friday", "-o", "json");
    assertEquals("none", json(text).get("action"));
    assertEquals(null, json(text).get("reply"));
    assertFalse(Files.exists(tmp.resolve("outbox/state")));
  }

  @Test
  void consentRecordDryRunRecordsNothing() {
    CliRun.Result r = cli().run("consent.record", "--to", "+13125550199", "--state", "opted-out", "--source", "call");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.err().contains("dry run"), r::toString);
    assertEquals(0, cli().run("send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", "+13125550199", "--consent-state", "opted-in", "--vars-json", ORDER_READY).exit());
    assertEquals(2, cli().run("consent.record", "--to", "+13125550199", "--state", "maybe", "--source", "call").exit());
  }
}
