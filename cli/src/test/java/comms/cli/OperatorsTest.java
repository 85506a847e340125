package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.OutboxPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators, acting on behalf, caps and the audit trail, through the real parser. */
class OperatorsTest {
  static final String DAYTIME = "2026-11-18T17:00:00Z";
  static final String DANA = "dana@lakesideprint.com";
  static final String SAM = "sam@lakesideprint.com";
  static final String ORDER_READY = "{\"customer_name\":\"Maria\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";
  static final String PAYMENT =
      "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}";

  @TempDir Path tmp;

  Path outbox() {
    return tmp.resolve("outbox");
  }

  CliRun cli() {
    return new CliRun(outbox()).env("COMMS_NOW", DAYTIME);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  static String[] sms(String to, String... more) {
    return smsWithConsent(to, "opted-in", more);
  }

  static String[] smsWithConsent(String to, String consent, String... more) {
    List<String> a = new ArrayList<>(List.of("send.execute", "--channel", "sms", "--message-type", "payment_needed", "--to", to,
        "--consent-state", consent, "--vars-json", PAYMENT));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static String[] email(String to, String... more) {
    List<String> a = new ArrayList<>(List.of("send.execute", "--channel", "email", "--message-type", "order_ready", "--to", to,
        "--consent-state", "implied", "--vars-json", ORDER_READY));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** Every audit row as the table holds it (raw SQL, not through comms), oldest first, each column by name. */
  List<Map<String, String>> auditTable() throws SQLException {
    Path db = outbox().resolve("state/comms.db");
    List<Map<String, String>> rows = new ArrayList<>();
    if (!Files.exists(db)) {
      return rows;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM audit_log ORDER BY id")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnName(i), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> payload(Map<String, String> row) {
    return (Map<String, Object>) Json.parse(row.get("payload"));
  }

  List<Map<String, Object>> log() {
    List<Map<String, Object>> out = new ArrayList<>();
    DeliveryJournal.of(new OutboxPaths(outbox()), w -> {}).newest(100, DeliveryJournal.Filter.ALL).entries().forEach(r -> out.add(r.fields()));
    return out;
  }

  Path capsBindings(String daily, String perMinute) {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.operators.yaml", "daily_cap: 1000", "daily_cap: " + daily);
    CliRun.edit(b, "communications.operators.yaml", "per_minute_cap: 30", "per_minute_cap: " + perMinute);
    return b;
  }

  // ------------------------------------------------------------------------------ identity

  /** One valid --execute invocation of every mutating command. */
  static List<String[]> everyMutatingCommand() {
    return List.of(
        sms("+13125550142", "--execute"),
        new String[] {"mail.send.test", "--to", "qa.inbox@example.net", "--subject", "s", "--body", "b", "--execute"},
        new String[] {"consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute"},
        new String[] {"suppression.add", "--domain", "bounce.example.com", "--reason", "bounces", "--execute"},
        new String[] {"suppression.remove", "--domain", "bounce.example.com", "--execute"},
        new String[] {"inbound.sms", "--from", "+13125550199", "--body", "STOP", "--execute"},
        new String[] {"operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee Chen", "--execute"},
        new String[] {"operators.update", "--email", SAM, "--daily-cap", "5", "--execute"});
  }

  @Test
  void everyMutatingCommandRefusesAnUnknownOperatorBeforeAnythingRuns() {
    for (String[] args : everyMutatingCommand()) {
      CliRun.Result r = cli().stdin("yes\n").run(prepend(args, "--as", "mallory@example.com"));
      assertEquals(3, r.exit(), () -> String.join(" ", args) + "\n" + r);
      assertTrue(r.err().startsWith("comms: --as names mallory@example.com, who is not an operator"), r::toString);
      assertFalse(r.err().contains("About to"), "refused before the prompt: " + r);
      assertEquals("", r.out(), r::toString);
      CliRun.Result env = cli().env("COMMS_OPERATOR", "mallory@example.com").stdin("yes\n").run(args);
      assertEquals(3, env.exit(), env::toString);
      assertTrue(env.err().startsWith("comms: COMMS_OPERATOR names mallory@example.com"), env::toString);
    }
    assertFalse(Files.exists(outbox()), "nothing written: no store, no log, no receipt");
  }

  static String[] prepend(String[] args, String... first) {
    List<String> a = new ArrayList<>(List.of(first));
    a.addAll(List.of(args));
    return a.toArray(String[]::new);
  }

  @Test
  void anAgentCanActForAnOperatorButNeverOwn() throws Exception {
    CliRun.Result owner = cli().stdin("yes\n").run(sms("+13125550142", "--as", "agent:claude", "--execute"));
    assertEquals(3, owner.exit(), owner::toString);
    assertTrue(owner.err().contains("an agent can never own an action"), owner::toString);
    CliRun.Result env = cli().env("COMMS_OPERATOR", "agent:claude").stdin("yes\n").run(sms("+13125550142", "--execute"));
    assertEquals(3, env.exit(), env::toString);
    assertEquals(2, cli().stdin("yes\n").run(sms("+13125550142", "--actor", "claude", "--execute")).exit());
    assertFalse(Files.exists(outbox()));

    CliRun.Result ok = cli().stdin("yes\n").run(sms("+13125550142", "--as", SAM, "--actor", "agent:claude", "--execute"));
    assertEquals(0, ok.exit(), ok::toString);
    Map<String, String> row = auditTable().get(0);
    assertEquals("agent:claude", row.get("actor"));
    assertEquals(SAM, row.get("owner"));
    assertEquals(System.getProperty("user.name"), row.get("os_user"));
    assertEquals("send.execute", row.get("action"));
    assertEquals(SAM, log().get(0).get("operator"), "the delivery log names the owner operator");
    // cap run forwards --as and --actor like every global option
    CliRun.Result viaCap = cli().stdin("yes\n").run("--as", SAM, "--actor", "agent:claude", "cap", "run", "communications.consent.record",
        "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute");
    assertEquals(0, viaCap.exit(), viaCap::toString);
    Map<String, String> second = auditTable().get(1);
    assertEquals("agent:claude", second.get("actor"));
    assertEquals(SAM, second.get("owner"));
    try (Stream<Path> receipts = Files.list(outbox().resolve("receipts"))) {
      String all = String.join("\n", receipts.map(p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList());
      assertTrue(all.contains("operator: " + SAM) && all.contains("actor: agent:claude"), all);
    }
  }

  // ------------------------------------------------------------------------------ audit rows

  @Test
  void eachExecutedActionWritesExactlyOneAuditRowAndDryRunsNone() throws Exception {
    assertEquals(0, cli().run(sms("+13125550142")).exit());
    assertEquals(0, cli().run("consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet").exit());
    assertEquals(0, cli().run("operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee").exit());
    assertEquals(List.of(), auditTable(), "dry runs write nothing");

    assertEquals(0, cli().stdin("yes\n").run(sms("+13125550142", "--execute")).exit());
    assertEquals(5, cli().stdin("no\n").run(email("maria.gomez@example.org", "--execute")).exit());
    assertEquals(4, cli().stdin("yes\n").run(smsWithConsent("+13125550143", "opted-out", "--execute")).exit());
    assertEquals(0, cli().stdin("yes\n").run(sms("+13125550142", "--execute")).exit(), "a duplicate reports the earlier send");
    assertEquals(5, cli().stdin("no\n").run("consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute").exit());
    assertEquals(0, cli().stdin("yes\n").run("suppression.add", "--domain", "bounce.example.com", "--reason", "bounces", "--execute").exit());
    assertEquals(0, cli().stdin("yes\n").run("suppression.add", "--domain", "bounce.example.com", "--reason", "bounces", "--execute").exit());
    assertEquals(0, cli().stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", "STOP", "--execute").exit());
    assertEquals(0, cli().run("inbound.sms", "--from", "+13125550199", "--body", "HELP").exit());

    List<Map<String, String>> rows = auditTable();
    assertEquals(
        List.of("send.execute", "send.execute", "send.execute", "send.execute", "consent.record", "suppression.add", "suppression.add", "inbound.sms"),
        rows.stream().map(r -> r.get("action")).toList());
    assertEquals(
        List.of("simulated", "declined", "blocked", "duplicate", "declined", "applied", "unchanged", "applied"),
        rows.stream().map(r -> payload(r).get("outcome")).toList());
    assertEquals(List.of("consent"), payload(rows.get(2)).get("gates_failed"));
    assertEquals("approval_declined", payload(rows.get(1)).get("error"));
    assertTrue(rows.stream().allMatch(r -> r.get("run_key") != null && r.get("owner").equals(DANA) && r.get("actor").equals(DANA)));
    assertEquals(rows.size(), rows.stream().map(r -> r.get("run_key")).distinct().count(), "one row per run");
  }

  @Test
  void theAuditLogCannotBeEditedOrEmptiedThroughTheDatabase() throws Exception {
    assertEquals(0, cli().stdin("yes\n").run("consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute").exit());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + outbox().resolve("state/comms.db"));
        Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE audit_log SET actor = 'someone-else@example.com'"));
      assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE audit_log SET payload = '{}' WHERE id = 1"));
      assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM audit_log WHERE id = 1"));
      assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM audit_log"));
    }
    List<Map<String, String>> rows = auditTable();
    assertEquals(1, rows.size());
    assertEquals(DANA, rows.get(0).get("actor"));
  }

  @Test
  void noAuditRowHoldsARecipientInTheClear() throws Exception {
    List<String> recipients =
        List.of("+13125550142", "+13125550199", "+15551234567", "+13125550177", "maria.gomez@example.org", "ana.lopez@example.com",
            "qa.inbox@example.net", "bounced.person@example.com");
    Path b = capsBindings("1000", "30");
    CliRun.edit(b, "communications.operators.yaml", "  - email: sam@lakesideprint.com\n    display_name: Sam Rivera\n    role: operator",
        "  - email: sam@lakesideprint.com\n    display_name: Sam Rivera\n    role: operator\n    per_minute_cap: 1");
    CliRun run = new CliRun(outbox()).bindings(b).env("COMMS_NOW", DAYTIME);
    run.stdin("yes\n").run(sms("+13125550142", "--execute"));
    run.stdin("yes\n").run(sms("+15551234567", "--execute"));
    run.stdin("yes\n").run(email("maria.gomez@example.org", "--execute"));
    run.stdin("no\n").run(email("ana.lopez@example.com", "--execute"));
    run.stdin("yes\n").run(email("ana.lopez@example.com", "--as", SAM, "--execute"));
    run.stdin("yes\n").run(email("ana.lopez@example.com", "--as", SAM, "--idempotency-key", "second", "--execute")); // over Sam's cap
    run.stdin("yes\n").run("consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute");
    run.stdin("yes\n").run("suppression.add", "--address", "bounced.person@example.com", "--reason", "bounced", "--execute");
    run.stdin("yes\n").run("suppression.add", "--address", "+13125550177", "--reason", "asked", "--execute");
    run.stdin("yes\n").run(email("bounced.person@example.com", "--execute")); // blocked: the reason quotes the address
    run.stdin("yes\n").run("suppression.remove", "--address", "+13125550177", "--execute");
    run.stdin("yes\n").run("inbound.sms", "--from", "+13125550199", "--body", "STOP", "--execute");
    run.stdin("yes\n").run(sms("+13125550199", "--idempotency-key", "after-stop", "--execute")); // blocked: opted out
    run.stdin("yes\n").run("mail.send.test", "--to", "qa.inbox@example.net", "--subject", "pilot", "--body", "hello", "--execute");
    run.stdin("no\n").run("mail.send.test", "--to", "qa.inbox@example.net", "--subject", "pilot", "--body", "hello", "--execute");

    List<Map<String, String>> rows = auditTable();
    assertEquals(15, rows.size(), rows::toString);
    assertTrue(rows.stream().anyMatch(r -> "minute_cap_exhausted:1".equals(payload(r).get("error"))), rows::toString);
    String table = rows.toString().toLowerCase(java.util.Locale.ROOT);
    for (String who : recipients) {
      assertFalse(table.contains(who.toLowerCase(java.util.Locale.ROOT)), who + " appears in the audit table: " + table);
      if (who.startsWith("+")) {
        assertFalse(table.contains(who.substring(2)), who + " (national digits) appears in the audit table: " + table);
      }
    }
    // and every recipient row carries its hash, so an auditor can still match a person they already know
    assertTrue(table.contains(comms.core.operator.AuditTrail.hash("maria.gomez@example.org")), table);
    assertTrue(table.contains(comms.core.operator.AuditTrail.hash("+13125550177")), table);
    // The same through comms audit.
    CliRun.Result audit = run.run("audit", "--limit", "100", "-o", "json");
    assertEquals(0, audit.exit(), audit::toString);
    for (String who : recipients) {
      assertFalse(audit.out().contains(who), who + " in comms audit output");
    }
  }

  // ------------------------------------------------------------------------------ scoping

  @Test
  void anOperatorReadsOnlyTheirOwnAuditRowsAndAnAdminReadsAll() {
    assertEquals(0, cli().stdin("yes\n").run("consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "sheet", "--execute").exit());
    assertEquals(0, cli().stdin("yes\n").run("--as", SAM, "suppression.add", "--domain", "bounce.example.com", "--reason", "x", "--execute").exit());

    CliRun.Result sam = cli().run("audit", "--as", SAM, "-o", "json");
    assertEquals(0, sam.exit(), sam::toString);
    List<?> samRows = (List<?>) json(sam).get("entries");
    assertEquals(1, samRows.size(), sam::toString);
    assertEquals("suppression.add", ((Map<?, ?>) samRows.get(0)).get("action"));
    CliRun.Result other = cli().run("audit", "--as", SAM, "--operator", DANA);
    assertEquals(4, other.exit(), other::toString);
    assertTrue(other.err().contains("reads only their own audit rows"), other::toString);
    assertEquals("", other.out());

    CliRun.Result dana = cli().run("audit", "-o", "json");
    assertEquals(2, ((List<?>) json(dana).get("entries")).size(), dana::toString);
    CliRun.Result danaForSam = cli().run("audit", "--operator", SAM, "--action", "suppression.add", "--since", "2026-11-18", "-o", "json");
    assertEquals(1, ((List<?>) json(danaForSam).get("entries")).size(), danaForSam::toString);
    assertEquals(0, ((List<?>) json(cli().run("audit", "--since", "2026-11-19", "-o", "json")).get("entries")).size());
    assertEquals(2, cli().run("audit", "--since", "yesterday").exit());
    assertEquals(2, cli().run("audit", "--limit", "0").exit());
  }

  @Test
  void onlyAdminsAddOrChangeOperatorsAndEveryAttemptIsAudited() throws Exception {
    CliRun.Result byOperator = cli().stdin("yes\n").run("--as", SAM, "operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee Chen", "--execute");
    assertEquals(4, byOperator.exit(), byOperator::toString);
    assertFalse(byOperator.err().contains("About to"), "refused before the prompt");
    CliRun.Result added = cli().stdin("yes\n").run("operators.add", "--email", "Lee@LakesidePrint.com", "--name", "Lee Chen", "--per-minute-cap", "5", "--execute", "-o", "json");
    assertEquals(0, added.exit(), added::toString);
    assertEquals("lee@lakesideprint.com", json(added).get("email"));
    assertEquals(4, cli().stdin("yes\n").run("operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee", "--execute").exit(), "already an operator");
    assertEquals(2, cli().run("operators.add", "--email", "agent:claude", "--name", "Claude").exit(), "an agent is never an operator");

    assertEquals(4, cli().stdin("yes\n").run("--as", SAM, "operators.update", "--email", DANA, "--name", "D", "--execute").exit());
    assertEquals(4, cli().stdin("yes\n").run("--as", SAM, "operators.update", "--email", SAM, "--daily-cap", "99999", "--execute").exit());
    assertEquals(0, cli().stdin("yes\n").run("--as", SAM, "operators.update", "--email", SAM, "--name", "Samuel Rivera", "--execute").exit());
    CliRun.Result lastAdmin = cli().stdin("yes\n").run("operators.update", "--email", DANA, "--active", "false", "--execute");
    assertEquals(4, lastAdmin.exit(), lastAdmin::toString);
    assertTrue(lastAdmin.err().contains("last active admin"), lastAdmin::toString);
    assertEquals(0, cli().stdin("yes\n").run("operators.update", "--email", SAM, "--active", "false", "--execute").exit());
    CliRun.Result inactive = cli().stdin("yes\n").run("--as", SAM, "consent.record", "--to", "+13125550199", "--state", "opted-in", "--source", "x", "--execute");
    assertEquals(3, inactive.exit(), inactive::toString);
    assertTrue(inactive.err().contains("not an active operator"), inactive::toString);
    assertEquals(2, cli().run("operators.update", "--email", SAM).exit(), "nothing to change");

    List<Map<String, String>> rows = auditTable();
    List<String> outcomes = rows.stream().map(r -> r.get("action") + " " + r.get("owner") + " " + payload(r).get("outcome") + " " + payload(r).get("error")).toList();
    assertEquals(
        List.of(
            "operators.add sam@lakesideprint.com refused not_admin",
            "operators.add dana@lakesideprint.com applied null",
            "operators.add dana@lakesideprint.com refused already_exists",
            "operators.update sam@lakesideprint.com refused other_operator",
            "operators.update sam@lakesideprint.com refused not_admin",
            "operators.update sam@lakesideprint.com applied null",
            "operators.update dana@lakesideprint.com refused last_admin",
            "operators.update dana@lakesideprint.com applied null"),
        outcomes);
    assertEquals("lee@lakesideprint.com", rows.get(1).get("resource_id"));
    CliRun.Result list = cli().run("operators.list", "-o", "json");
    List<?> ops = (List<?>) json(list).get("operators");
    assertEquals(3, ops.size(), list::toString);
    Map<?, ?> sam = ops.stream().map(o -> (Map<?, ?>) o).filter(o -> SAM.equals(o.get("email"))).findFirst().orElseThrow();
    assertEquals("Samuel Rivera", sam.get("display_name"));
    assertEquals(Boolean.FALSE, sam.get("active"));
    Map<?, ?> lee = ops.stream().map(o -> (Map<?, ?>) o).filter(o -> "lee@lakesideprint.com".equals(o.get("email"))).findFirst().orElseThrow();
    assertEquals(5, ((Number) lee.get("per_minute_cap")).intValue());
    assertEquals(1000, ((Number) lee.get("daily_cap")).intValue());
    assertEquals("operators.add", lee.get("source"));
  }

  @Test
  void operatorsListReadsTheContractWithoutCreatingTheStore() {
    CliRun.Result r = cli().run("operators.list", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(DANA, json(r).get("default_operator"));
    List<?> ops = (List<?>) json(r).get("operators");
    assertEquals(2, ops.size());
    assertEquals(Boolean.FALSE, ((Map<?, ?>) ops.get(0)).get("seeded"));
    assertFalse(Files.exists(outbox().resolve("state")));
    CliRun.Result table = cli().run("operators.list");
    assertTrue(table.out().contains("dana@lakesideprint.com (default)"), table::toString);
  }

  // ------------------------------------------------------------------------------ caps and senders

  @Test
  void overACapTheSendIsNotMadeAndTheLogSaysWhy() throws Exception {
    Path capped = capsBindings("3", "2");
    CliRun run = new CliRun(outbox()).bindings(capped).env("COMMS_NOW", DAYTIME);
    assertEquals(0, run.stdin("yes\n").run(sms("+13125550101", "--execute")).exit());
    assertEquals(0, run.stdin("yes\n").run(sms("+13125550102", "--execute")).exit());
    CliRun.Result minute = run.stdin("yes\n").run(sms("+13125550103", "--execute", "-o", "json"));
    assertEquals(4, minute.exit(), minute::toString);
    assertEquals("failed", json(minute).get("status"));
    assertEquals("minute_cap_exhausted:2", json(minute).get("error"));
    assertTrue(minute.err().contains("per-minute send cap (2 a minute); nothing was sent"), minute::toString);

    CliRun nextMinute = new CliRun(outbox()).bindings(capped).env("COMMS_NOW", "2026-11-18T17:01:00Z");
    assertEquals(0, nextMinute.stdin("yes\n").run(sms("+13125550103", "--execute")).exit(), "the same message goes out a minute later");
    CliRun.Result daily = nextMinute.stdin("yes\n").run("mail.send.test", "--to", "qa.inbox@example.net", "--subject", "s", "--body", "b", "--execute", "-o", "json");
    assertEquals(4, daily.exit(), daily::toString);
    assertEquals("failed", json(daily).get("status"));
    assertTrue(daily.err().contains("daily send cap (3 a UTC day)"), daily::toString);

    List<Map<String, Object>> log = log();
    assertEquals(List.of("failed", "simulated", "failed", "simulated", "simulated"), log.stream().map(l -> l.get("status")).toList());
    assertEquals("daily_cap_exhausted:3", log.get(0).get("error"));
    assertEquals("minute_cap_exhausted:2", log.get(2).get("error"));
    assertEquals(0, ((Number) log.get(0).get("attempts")).intValue());
    assertTrue(log.stream().allMatch(l -> DANA.equals(l.get("operator"))), log::toString);
    Map<?, ?> dana = (Map<?, ?>) ((List<?>) json(nextMinute.run("operators.list", "-o", "json")).get("operators")).get(0);
    assertEquals(3, ((Number) dana.get("used_today")).intValue());
  }

  @Test
  void sendTestsGoOnlyFromTheActingOperatorsOwnPilotMailbox() throws Exception {
    CliRun.Result sam = cli().stdin("yes\n").run("--as", SAM, "mail.send.test", "--to", "qa.inbox@example.net", "--subject", "s", "--body", "b", "--execute", "-o", "json");
    assertEquals(0, sam.exit(), sam::toString);
    assertEquals("proofs@lakesideprint.com", json(sam).get("from"), "Sam's own pilot mailbox by default");
    assertEquals(SAM, log().get(0).get("operator"));
    CliRun.Result notHis = cli().stdin("yes\n").run("--as", SAM, "mail.send.test", "--from", "orders@lakesideprint.com", "--to", "qa.inbox@example.net", "--subject", "s", "--body", "b", "--execute");
    assertEquals(4, notHis.exit(), notHis::toString);
    assertTrue(notHis.err().contains("belongs to dana@lakesideprint.com"), notHis::toString);
    assertFalse(notHis.err().contains("About to"), notHis::toString);
    assertEquals(1, log().size(), "nothing sent");
    Map<String, String> refused = auditTable().get(1);
    assertEquals("refused", payload(refused).get("outcome"));
    assertEquals("other_operator", payload(refused).get("error"));
    CliRun.Result dana = cli().stdin("yes\n").run("mail.send.test", "--to", "qa.inbox@example.net", "--subject", "s", "--body", "b", "--execute", "-o", "json");
    assertEquals("orders@lakesideprint.com", json(dana).get("from"));
  }

  @Test
  void theApprovalPromptShowsTheOperatorAsEmailSender() {
    CliRun.Result sam = cli().stdin("yes\n").run(email("maria.gomez@example.org", "--as", SAM, "--execute"));
    assertEquals(0, sam.exit(), sam::toString);
    assertTrue(sam.err().contains("from:            Sam Rivera <sam@lakesideprint.com>"), sam::toString);
    CliRun.Result sms = cli().stdin("yes\n").run(sms("+13125550142", "--as", SAM, "--execute"));
    assertFalse(sms.err().contains("from:"), sms::toString);
  }

  @Test
  void liveEmailGoesOutFromTheActingOperatorWhereTheContractAllowsIt() throws Exception {
    try (MockWebServer resend = new MockWebServer()) {
      resend.start();
      for (int i = 0; i < 3; i++) {
        resend.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{\"id\":\"email_" + i + "\"}").build());
      }
      Path b = CliRun.copyBindings(tmp);
      CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
      CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://api.resend.com", "base_url: http://127.0.0.1:" + resend.getPort());
      CliRun.edit(b, "communications.operators.yaml", "operators:\n", "operators:\n  - { email: ola@partner.example, display_name: Ola Partner, role: operator }\n");
      CliRun live = new CliRun(outbox()).bindings(b).env("COMMS_NOW", DAYTIME);
      comms.core.provider.LiveFixtures.env().forEach(live::env);

      assertEquals(0, live.stdin("yes\n").run(email("ana@example.com", "--as", SAM, "--execute")).exit());
      assertEquals(0, live.stdin("yes\n").run(email("ana@example.com", "--idempotency-key", "dana-1", "--execute")).exit());
      CliRun.Result other = live.stdin("yes\n").run(email("ana@example.com", "--as", "ola@partner.example", "--idempotency-key", "ola-1", "--execute"));
      assertEquals(0, other.exit(), other::toString);
      List<String> froms = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RecordedRequest req = resend.takeRequest();
        froms.add((String) ((Map<?, ?>) Json.parse(req.getBody().utf8())).get("from"));
      }
      assertEquals(
          List.of("Sam Rivera <sam@lakesideprint.com>", "Dana Lake <dana@lakesideprint.com>", "Lakeside Print <orders@lakesideprint.com>"),
          froms,
          "an operator outside email_from.domains keeps the provider's own From");
      assertEquals(List.of(true, true, false), auditTable().stream().map(r -> payload(r).get("from_operator")).toList());
    }
  }

  @Test
  void aDisplayNameWithAControlCharacterIsAUsageErrorThatWritesNothing() {
    CliRun.Result add = cli().stdin("yes\n").run("operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee\r\nBcc: x@evil.example", "--execute");
    assertEquals(2, add.exit(), add::toString);
    assertTrue(add.err().contains("--name holds U+000D"), add.err());
    CliRun.Result update = cli().stdin("yes\n").run("operators.update", "--email", "sam@lakesideprint.com", "--name", "Sam\u0085", "--execute");
    assertEquals(2, update.exit(), update::toString);
    assertFalse(java.nio.file.Files.exists(tmp.resolve("outbox").resolve("state").resolve("comms.db")), "nothing was written");
  }
}
