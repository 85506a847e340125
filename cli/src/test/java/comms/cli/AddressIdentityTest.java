package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.OutboxPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12 items 1, 3 and 7 through the real parser: one identity per address, opt-outs in any
 * reasonable wording, and bad recipients that leave nothing behind.
 */
class AddressIdentityTest {
  static final String DAYTIME = "2026-11-18T17:00:00Z";
  static final String SMS_VARS = "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}";
  static final String ORDER_READY = "{\"customer_name\":\"Maria\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";

  @TempDir Path tmp;

  Path outbox() {
    return tmp.resolve("outbox");
  }

  CliRun cli() {
    return new CliRun(outbox()).env("COMMS_NOW", DAYTIME);
  }

  static String[] send(String channel, String to, String... more) {
    List<String> a =
        new ArrayList<>(
            channel.equals("sms")
                ? List.of("send.execute", "--channel", "sms", "--message-type", "payment_needed", "--to", to, "--consent-state", "opted-in", "--vars-json", SMS_VARS)
                : List.of("send.execute", "--channel", "email", "--message-type", "order_ready", "--to", to, "--consent-state", "implied", "--vars-json", ORDER_READY));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static String[] previewEmail(String to) {
    return new String[] {"send.preview", "--channel", "email", "--message-type", "order_ready", "--to", to, "--consent-state", "implied", "--vars-json", ORDER_READY, "--no-receipt"};
  }

  static String[] json(String[] args) {
    String[] b = java.util.Arrays.copyOf(args, args.length + 2);
    b[args.length] = "-o";
    b[args.length + 1] = "json";
    return b;
  }

  List<Map<String, Object>> log() {
    List<Map<String, Object>> out = new ArrayList<>();
    DeliveryJournal.of(new OutboxPaths(outbox()), w -> {}).newest(100, DeliveryJournal.Filter.ALL).entries().forEach(r -> out.add(r.fields()));
    return out;
  }

  List<String> auditPayloads() throws SQLException {
    Path db = outbox().resolve("state/comms.db");
    List<String> rows = new ArrayList<>();
    if (!Files.exists(db)) {
      return rows;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT action || ' ' || resource_type || ' ' || payload FROM audit_log ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  List<Path> files() throws Exception {
    if (!Files.exists(outbox())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(outbox())) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  // ------------------------------------------------------------------ item 7: bad input leaves nothing behind

  @ParameterizedTest
  @CsvSource({"sms, (415) 555-2671", "sms, 4155552671", "sms, not-a-number", "email, not-a-number", "email, maria.lakeside.example"})
  void anUnreadableRecipientIsAUsageErrorThatWritesNothing(String channel, String to) throws Exception {
    CliRun.Result r = cli().stdin("yes\n").run(send(channel, to, "--execute"));
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("recipient cannot be read"), r::toString);
    assertTrue(r.err().contains(to), "the message names what was typed: " + r);
    assertFalse(r.err().contains("About to send"), "nothing was offered for approval: " + r);
    assertEquals(List.of(), files(), "no log line, receipt, artifact or store");
    assertEquals(List.of(), auditPayloads());
    // the preview refuses it the same way
    CliRun.Result p = cli().run(replaceFirst(send(channel, to), "send.preview"));
    assertEquals(2, p.exit(), p::toString);
    assertEquals(List.of(), files());
  }

  private static String[] replaceFirst(String[] a, String first) {
    String[] b = a.clone();
    b[0] = first;
    return b;
  }

  @Test
  void aReadableRecipientAGateRefusesStaysARecordedPolicyBlock() throws Exception {
    CliRun.Result r = cli().stdin("yes\n").run(send("sms", "+1555", "--execute"));
    assertEquals(4, r.exit(), r::toString);
    List<Map<String, Object>> log = log();
    assertEquals(1, log.size());
    assertEquals("blocked", log.get(0).get("status"));
    assertEquals(1, auditPayloads().size(), auditPayloads()::toString);
  }

  @Test
  void surroundingSpacesAreTheSameAsNone() {
    CliRun.Result first = cli().stdin("yes\n").run(send("sms", "+15551234567", "--execute", "-o", "json"));
    assertEquals(0, first.exit(), first::toString);
    CliRun.Result spaced = cli().stdin("yes\n").run(send("sms", " +15551234567 ", "--execute", "-o", "json"));
    assertEquals(0, spaced.exit(), spaced::toString);
    assertEquals("duplicate", json(spaced).get("status"), "the same message to the same number: " + spaced);
    assertEquals(json(first).get("delivery_id"), json(spaced).get("delivery_id"));
  }

  // ------------------------------------------------------------------ item 1: one identity per address

  @Test
  void aDomainSuppressedAsTypedBlocksItsOtherSpellings() {
    CliRun.Result add = cli().stdin("yes\n").run("suppression.add", "--domain", "Bücher.de", "--reason", "asked", "--execute", "-o", "json");
    assertEquals(0, add.exit(), add::toString);
    assertEquals("xn--bcher-kva.de", json(add).get("value"));
    assertTrue(add.err().contains("xn--bcher-kva.de (bücher.de)"), "the prompt shows both spellings: " + add);
    for (String to : List.of("maria@xn--bcher-kva.de", "maria@bücher.de", "ｍａｒｉａ@ｂüｃｈｅｒ．ｄｅ", "maria@mail.BÜCHER.de")) {
      CliRun.Result p = cli().run(previewEmail(to));
      assertEquals(4, p.exit(), to + ": " + p);
      assertTrue(p.err().contains("suppress") || p.out().contains("suppress"), p::toString);
    }
    CliRun.Result again = cli().stdin("yes\n").run("suppression.add", "--domain", "xn--bcher-kva.de", "--reason", "asked", "--execute", "-o", "json");
    assertEquals(Boolean.FALSE, json(again).get("changed"), "one domain, already suppressed: " + again);
  }

  @Test
  void anOptOutRecordedForOneSpellingBlocksTheOther() {
    CliRun.Result rec =
        cli().stdin("yes\n").run("consent.record", "--to", "maria@xn--bcher-kva.de", "--state", "opted-out", "--source", "call", "--channel", "email", "--execute");
    assertEquals(0, rec.exit(), rec::toString);
    CliRun.Result p = cli().run(json(previewEmail("Maria@Bücher.de")));
    assertEquals(4, p.exit(), p::toString);
    Map<String, Object> m = json(p);
    assertEquals("maria@xn--bcher-kva.de", m.get("to"), "the preview shows the canonical form");
  }

  @Test
  void aDomainNoIdnaCanReadIsAUsageError() {
    CliRun.Result r = cli().stdin("yes\n").run("suppression.add", "--domain", "bad domain.de", "--reason", "x", "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("--domain"), r::toString);
  }

  // ------------------------------------------------------------------ item 3: opt-outs in any reasonable wording

  @Test
  void aStopInWordsIsAnOptOut() {
    CliRun.Result r = cli().stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", "Please stop texting me!", "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("opt-out", json(r).get("action"));
    assertEquals(Boolean.TRUE, json(r).get("recorded"));
    String[] preview = {"send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", "+1 312 555 0199", "--consent-state", "opted-in", "--vars-json", ORDER_READY, "--no-receipt"};
    assertEquals(4, cli().run(preview).exit());
  }

  @Test
  void anAmbiguousMessageIsFlaggedForReviewNotIgnoredAndNotAnOptOut() throws Exception {
    CliRun.Result dry = cli().run("inbound.sms", "--from", "+13125550199", "--body", "can I stop by tomorrow?", "-o", "json");
    assertEquals(0, dry.exit(), dry::toString);
    assertEquals("ambiguous", json(dry).get("action"));
    assertEquals(Boolean.TRUE, json(dry).get("flagged"));
    assertEquals(Boolean.FALSE, json(dry).get("recorded"));
    assertFalse(Files.exists(outbox().resolve("state")), "a dry run records nothing");

    CliRun.Result r = cli().stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", "can I stop by tomorrow?", "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("ambiguous", m.get("action"));
    assertEquals(Boolean.TRUE, m.get("recorded"));
    assertEquals(null, m.get("reply"), "no automatic reply: a person reviews it");
    assertEquals(null, m.get("consent_state"));
    List<String> audit = auditPayloads();
    assertEquals(1, audit.size(), audit::toString);
    assertTrue(audit.get(0).startsWith("inbound.sms inbound_review "), audit::toString);
    assertTrue(audit.get(0).contains("\"flagged\":true") && audit.get(0).contains("\"action\":\"ambiguous\""), audit::toString);
    assertFalse(audit.get(0).contains("tomorrow"), "the message text stays out of the audit trail");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + outbox().resolve("state/comms.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT recipient, body, matched FROM inbound_review")) {
      assertTrue(rs.next());
      assertEquals("+13125550199", rs.getString(1));
      assertEquals("can I stop by tomorrow?", rs.getString(2));
      assertEquals("STOP", rs.getString(3));
    }
    // consent unchanged: an opted-in send still goes
    String[] preview = {"send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", "+13125550199", "--consent-state", "opted-in", "--vars-json", ORDER_READY, "--no-receipt"};
    assertEquals(0, cli().run(preview).exit());
  }
}
