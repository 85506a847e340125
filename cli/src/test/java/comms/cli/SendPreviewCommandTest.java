package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `comms send.preview` through the real parser: exit codes, JSON keys, table, stderr. */
class SendPreviewCommandTest {
  static final String DAYTIME = "2026-11-23T18:00:00Z"; // noon in Chicago, morning in Honolulu
  static final String NIGHT = "2026-11-24T04:00:00Z"; // 22:00 in Chicago
  static final String RUNBOOK_VARS =
      "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}";

  @TempDir Path tmp;

  CliRun cli(String now) {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", now);
  }

  static String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("send.preview"));
    a.addAll(Arrays.asList(extra));
    return a.toArray(String[]::new);
  }

  static String[] sms(String to, String consent, String... extra) {
    List<String> a =
        new ArrayList<>(List.of("send.preview", "--channel", "sms", "--message-type", "payment_needed", "--to", to, "--consent-state", consent));
    a.addAll(Arrays.asList(extra));
    return a.toArray(String[]::new);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> gate(Map<String, Object> m, String name) {
    return ((List<Map<String, Object>>) m.get("gates")).stream().filter(g -> name.equals(g.get("name"))).findFirst().orElseThrow();
  }

  // ------------------------------------------------------------------ allowed

  @Test
  void runbookExampleExitsZeroInSimulation() {
    CliRun.Result r = cli(DAYTIME).run(sms("+15551234567", "opted-in", "--vars-json", RUNBOOK_VARS));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("Reply STOP to opt out."), r::toString);
    assertTrue(r.out().contains("GATE"), r::toString);
    assertTrue(r.out().contains("allowed"), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void runbookExampleThroughCapRun() {
    List<String> a = new ArrayList<>(List.of("cap", "run", "communications.send.preview"));
    a.addAll(Arrays.asList(sms("+15551234567", "opted-in", "--vars-json", RUNBOOK_VARS)).subList(1, 9));
    a.addAll(List.of("--vars-json", RUNBOOK_VARS, "-o", "json"));
    CliRun.Result r = cli(DAYTIME).run(a.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("allowed", json(r).get("verdict"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasTheStableKeys() {
    CliRun.Result r = cli(DAYTIME).run(sms("+15551234567", "opted-in", "--vars-json", RUNBOOK_VARS, "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    for (String k : List.of("verdict", "channel", "message_type", "provider", "to", "rendered", "sms", "gates", "template", "undeclared_vars")) {
      assertTrue(m.containsKey(k), () -> "missing " + k + " in " + r.out());
    }
    assertEquals("allowed", m.get("verdict"));
    assertEquals("sms", m.get("channel"));
    assertEquals("payment_needed", m.get("message_type"));
    assertEquals("twilio", m.get("provider"));
    assertEquals("+15551234567", m.get("to"));
    Map<String, Object> rendered = (Map<String, Object>) m.get("rendered");
    assertTrue(rendered.containsKey("subject"));
    assertTrue(((String) rendered.get("body")).endsWith("Reply STOP to opt out."));
    Map<String, Object> sms = (Map<String, Object>) m.get("sms");
    assertEquals("GSM-7", sms.get("encoding"));
    assertEquals(1L, ((Number) sms.get("segments")).longValue());
    assertTrue(((Number) sms.get("characters")).intValue() > 100);
    List<Map<String, Object>> gates = (List<Map<String, Object>>) m.get("gates");
    assertEquals(
        List.of("recipient", "consent", "suppression", "quiet_hours", "stop_footer", "bulk_email", "template_residue", "header_safety", "length", "forbidden_patterns"),
        gates.stream().map(g -> g.get("name")).toList());
    for (Map<String, Object> g : gates) {
      assertTrue(List.of("pass", "fail", "warn").contains(g.get("result")), g::toString);
      assertFalse(((String) g.get("reason")).isBlank());
    }
    assertEquals("warn", gate(m, "recipient").get("result"));
    assertFalse(m.containsKey("next_allowed_at"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void emailPreviewHasSubjectAndEscapedHtmlButNoSms() {
    CliRun.Result r =
        cli(NIGHT)
            .run(
                args(
                    "--channel", "email", "--message-type", "payment_needed", "--to", "maria@LakesidePrint.com", "--consent-state", "implied",
                    "--vars-json", "{\"customer_name\":\"Tom & Jerry\",\"order_number\":30020,\"balance_amount\":150.00,\"payment_link\":\"https://example.com/pay\"}",
                    "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    Map<String, Object> rendered = (Map<String, Object>) m.get("rendered");
    assertEquals("Order 30020: balance due $150.00", rendered.get("subject"));
    assertTrue(((String) rendered.get("html")).contains("Tom &amp; Jerry"));
    assertTrue(((String) rendered.get("body")).contains("Hi Tom & Jerry,"));
    assertFalse(m.containsKey("sms"));
    assertEquals("maria@lakesideprint.com", m.get("to"));
    assertEquals("resend", m.get("provider"));
  }

  static final String INJECTED_VARS =
      "{\"customer_name\":\"Ana\",\"order_number\":\"30020\\r\\nBcc: all@example.com\",\"balance_amount\":\"1\",\"payment_link\":\"https://example.com/pay\"}";

  static String[] injectedEmail(String... extra) {
    List<String> a = new ArrayList<>(List.of(
        "--channel", "email", "--message-type", "payment_needed", "--to", "maria@example.com", "--consent-state", "implied", "--vars-json", INJECTED_VARS));
    a.addAll(Arrays.asList(extra));
    return args(a.toArray(String[]::new));
  }

  @Test
  void aLineBreakInAVariableBoundForTheSubjectBlocksTheEmail() {
    CliRun.Result r = cli(DAYTIME).run(injectedEmail("-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("blocked", m.get("verdict"));
    Map<String, Object> g = gate(m, "header_safety");
    assertEquals("fail", g.get("result"));
    assertTrue(((String) g.get("reason")).contains("U+000D CARRIAGE RETURN (CR) at character 12"), g::toString);
    assertTrue(((String) g.get("reason")).contains("from variable order_number"), g::toString);
    assertTrue(r.err().contains("blocked by header_safety"), r::toString);
    // JSON keeps the value, escaped by the JSON writer.
    assertTrue(r.out().contains("30020\\r\\nBcc"), r::out);
  }

  @Test
  void theTableShowsControlCharactersEscapedNeverRaw() {
    CliRun.Result r = cli(DAYTIME).run(injectedEmail());
    assertEquals(4, r.exit(), r::toString);
    assertTrue(r.out().contains("Subject: Order 30020\\r\\nBcc: all@example.com: balance due"), r::out);
    assertFalse(r.out().contains("\r"), r::out);
    assertFalse(r.out().contains("\nBcc"), r::out);
    assertTrue(r.out().contains("header_safety"), r::out);
  }

  @Test
  void varsFileWorksAndUnusedVarsAreNoted() throws Exception {
    Path f = tmp.resolve("vars.json");
    Files.writeString(f, RUNBOOK_VARS.replace("}", ",\"coupon\":\"SAVE10\"}"));
    CliRun.Result r = cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-file", f.toString(), "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("coupon"), json(r).get("undeclared_vars"));
    assertTrue(r.err().contains("coupon"), r::toString);
  }

  // ------------------------------------------------------------------ blocked and deferred

  @Test
  void blockedExitsFourAndSaysWhyOnStderr() {
    CliRun.Result r = cli(DAYTIME).run(sms("+13125550142", "implied", "--vars-json", RUNBOOK_VARS, "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("blocked", m.get("verdict"));
    assertEquals("fail", gate(m, "consent").get("result"));
    assertTrue(r.err().contains("blocked by consent"), r::toString);
  }

  @Test
  void tooShortNumberIsBlocked() {
    CliRun.Result r = cli(DAYTIME).run(sms("+1555", "opted-in", "--vars-json", RUNBOOK_VARS, "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    assertEquals("fail", gate(json(r), "recipient").get("result"));
  }

  @Test
  void validNumberAtNightIsDeferredWithNextAllowedAt() {
    CliRun.Result r = cli(NIGHT).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("deferred", m.get("verdict"));
    assertEquals("2026-11-24T14:00:00Z", m.get("next_allowed_at"));
    // The gate that defers says so; the verdict stays deferred, not blocked.
    assertEquals("fail", gate(m, "quiet_hours").get("result"));
    assertTrue(r.err().contains("deferred"), r::toString);
    assertFalse(r.err().contains("blocked"), r::toString);
  }

  @Test
  void atOverridesTheClockAndRecipientTzOverridesTheNumber() {
    CliRun.Result day = cli(NIGHT).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--at", DAYTIME, "-o", "json"));
    assertEquals(0, day.exit(), day::toString);
    CliRun.Result tokyo = cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--recipient-tz", "Asia/Tokyo", "-o", "json"));
    assertEquals(4, tokyo.exit(), tokyo::toString);
    assertEquals("2026-11-23T23:00:00Z", json(tokyo).get("next_allowed_at"));
    CliRun.Result offset = cli(NIGHT).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--at", "2026-11-23T12:00:00-06:00"));
    assertEquals(0, offset.exit(), offset::toString);
  }

  @Test
  void deferredTableShowsTheTime() {
    CliRun.Result r = cli(NIGHT).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS));
    assertEquals(4, r.exit(), r::toString);
    assertTrue(r.out().contains("deferred until 2026-11-24T14:00:00Z"), r::toString);
    assertTrue(r.out().contains("quiet_hours"), r::toString);
  }

  @Test
  void varsValueWithBracesFailsResidue() {
    CliRun.Result r = cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS.replace("\"Test\"", "\"{{customer_name}}\""), "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    assertEquals("fail", gate(json(r), "template_residue").get("result"));
  }

  // ------------------------------------------------------------------ bad input

  void usage(CliRun.Result r, String... mentions) {
    assertEquals(2, r.exit(), r::toString);
    assertEquals("", r.out(), r::toString);
    for (String s : mentions) {
      assertTrue(r.err().contains(s), () -> "stderr should mention " + s + ":\n" + r);
    }
  }

  @Test
  void missingVariableNamesIt() {
    usage(
        cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", "{\"customer_name\":\"Test\",\"order_number\":\"1\",\"balance_amount\":\"2\"}")),
        "payment_link",
        "payment_needed.sms");
  }

  @Test
  void varsJsonMustBeAnObjectOfStringsOrNumbers() {
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", "[1,2]")), "--vars-json", "object");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", "{\"customer_name\":{\"a\":1}}")), "customer_name", "strings or numbers");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", "{\"customer_name\":true}")), "customer_name");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", "{customer_name:1")), "--vars-json", "not valid JSON");
  }

  @Test
  void exactlyOneVarsSource() throws Exception {
    Path f = tmp.resolve("v.json");
    Files.writeString(f, RUNBOOK_VARS);
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in")), "--vars-json", "--vars-file");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--vars-file", f.toString())), "mutually exclusive");
  }

  @Test
  void varsFileProblemsNameTheFile() throws Exception {
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-file", tmp.resolve("nope.json").toString())), "nope.json", "no such file");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "customer_name: Test\n");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-file", bad.toString())), "bad.json", "not valid JSON");
  }

  @Test
  void badFlagValuesAreUsageErrors() {
    usage(cli(DAYTIME).run(sms("+13125550142", "maybe", "--vars-json", RUNBOOK_VARS)), "--consent-state", "opted-in, opted-out, implied, unknown");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--recipient-tz", "Mars/Olympus")), "Mars/Olympus", "IANA");
    usage(cli(DAYTIME).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS, "--at", "tomorrow")), "--at", "ISO-8601");
    usage(
        cli(DAYTIME).run(args("--channel", "fax", "--message-type", "payment_needed", "--to", "x", "--consent-state", "opted-in", "--vars-json", "{}")),
        "--channel");
    usage(cli("not-a-time").run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS)), "COMMS_NOW");
  }

  @Test
  void unknownMessageTypeListsKnownTypes() {
    CliRun.Result r =
        cli(DAYTIME).run(args("--channel", "sms", "--message-type", "invoice", "--to", "+13125550142", "--consent-state", "opted-in", "--vars-json", "{}"));
    usage(r, "invoice", "payment_needed", "order_ready");
  }

  @Test
  void brokenRouteIsAContractError() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.delivery.contract.yaml", "template: payment_needed.sms", "template: payment_due.sms");
    CliRun.Result r = cli(DAYTIME).bindings(b).run(sms("+13125550142", "opted-in", "--vars-json", RUNBOOK_VARS));
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("communications.delivery.contract.yaml:") && r.err().contains("payment_due.sms"), r::toString);
  }

  @Test
  void liveContractRefusesTheFictionalNumber() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.Result r = cli(DAYTIME).bindings(b).run(sms("+15551234567", "opted-in", "--vars-json", RUNBOOK_VARS, "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("live", m.get("mode"));
    assertEquals("fail", gate(m, "recipient").get("result"));
  }

  @Test
  void helpDescribesEveryOption() {
    CliRun.Result r = cli(DAYTIME).run("send.preview", "--help");
    assertEquals(0, r.exit(), r::toString);
    for (String o : List.of("--channel", "--message-type", "--to", "--consent-state", "--vars-json", "--vars-file", "--at", "--recipient-tz")) {
      assertTrue(r.out().contains(o), o);
    }
    assertTrue(r.out().contains("opted-in,") && r.out().contains("implied, unknown"), r::toString);
  }

  @Test
  void previewWritesNothing() {
    cli(DAYTIME).run(sms("+15551234567", "opted-in", "--vars-json", RUNBOOK_VARS));
    // Only the run's receipt: no delivery log, no last-artifact, no store.
    assertFalse(Files.exists(tmp.resolve("outbox").resolve("communications")));
    assertFalse(Files.exists(tmp.resolve("outbox").resolve("state")));
  }
}
