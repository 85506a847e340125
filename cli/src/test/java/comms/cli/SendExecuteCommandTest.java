package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.OutboxPaths;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** send.execute through the real parser: approval on stdin, idempotency, and the evidence it leaves. */
class SendExecuteCommandTest {
  static final String DAYTIME = "2026-11-18T17:00:00Z";
  static final String NIGHT = "2026-11-19T05:00:00Z"; // 23:00 in Chicago
  static final String VARS = "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}";

  @TempDir Path tmp;

  Path outbox() {
    return tmp.resolve("outbox");
  }

  CliRun cli() {
    return new CliRun(outbox()).env("COMMS_NOW", DAYTIME);
  }

  static String[] sms(String to, String consent, String... more) {
    List<String> a = new ArrayList<>(List.of("send.execute", "--channel", "sms", "--message-type", "payment_needed", "--to", to,
        "--consent-state", consent, "--vars-json", VARS));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  List<Map<String, Object>> log() {
    DeliveryJournal j = DeliveryJournal.of(new OutboxPaths(outbox()), w -> {});
    List<Map<String, Object>> out = new ArrayList<>();
    j.newest(100, DeliveryJournal.Filter.ALL).entries().forEach(r -> out.add(r.fields()));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @Test
  void yesApprovesSimulatesAndLeavesEvidence() throws Exception {
    CliRun.Result r = cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("simulated", m.get("status"));
    assertEquals("approved", m.get("approval"));
    assertTrue(r.err().contains("About to send one SMS message"), r::toString);
    assertTrue(r.err().contains("recipient:       +15551234567"), r::toString);
    assertTrue(r.err().contains("Reply STOP to opt out."), "the prompt shows the rendered text");
    List<Map<String, Object>> log = log();
    assertEquals(1, log.size());
    assertEquals("simulated", log.get(0).get("status"));
    assertEquals(m.get("delivery_id"), log.get(0).get("delivery_id"));
    assertEquals(m.get("run_key"), log.get(0).get("run_key"));
    String last = Files.readString(new OutboxPaths(outbox()).transactionLast());
    assertTrue(last.contains("status: simulated"), last);
    assertTrue(DeliveryJournal.of(new OutboxPaths(outbox()), w -> {}).verify().ok());
    assertTrue(Files.readString(outbox().resolve("receipts").resolve(m.get("run_key") + ".yaml")).contains("approval: approved"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"y\n", "YES\n", "no\n", "\n", "", " yes\n", "yes please\n"})
  void anythingButYesDeclinesAndSendsNothing(String answer) {
    CliRun.Result r = cli().stdin(answer).run(sms("+15551234567", "opted-in", "--execute"));
    assertEquals(5, r.exit(), r::toString);
    assertTrue(r.err().contains("declined"), r::toString);
    List<Map<String, Object>> log = log();
    assertEquals(1, log.size());
    assertEquals("declined", log.get(0).get("status"));
    assertEquals(0, log.get(0).get("attempts"));
  }

  @Test
  void closedStdinDeclines() {
    CliRun.Result r = cli().stdin(InputStream.nullInputStream()).run(sms("+15551234567", "opted-in", "--execute"));
    assertEquals(5, r.exit(), r::toString);
    assertTrue(r.err().contains("stdin closed"), r::toString);
  }

  @Test
  void withoutExecuteItIsADryRunThatWritesNothing() {
    CliRun.Result r = cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("dry-run", json(r).get("status"));
    assertFalse(r.err().contains("About to send"), "a dry run asks nothing");
    assertFalse(Files.exists(outbox().resolve("communications")));
    assertFalse(Files.exists(outbox().resolve("state")));
  }

  @Test
  void sameIdempotencyKeySendsOnce() {
    assertEquals(0, cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute")).exit());
    CliRun.Result again = cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "-o", "json"));
    assertEquals(0, again.exit(), again::toString);
    assertEquals("duplicate", json(again).get("status"));
    assertFalse(again.err().contains("About to send"), "a duplicate is not even asked");
    assertEquals(1, log().size());
    // An explicit key means one message: the same message again is a duplicate, another one is refused (issue 12).
    assertEquals(0, cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "--idempotency-key", "order-30020-reminder")).exit());
    CliRun.Result same = cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "--idempotency-key", "order-30020-reminder", "-o", "json"));
    assertEquals("duplicate", json(same).get("status"));
    CliRun.Result keyed = cli().stdin("yes\n").run(sms("+13125550199", "opted-in", "--execute", "--idempotency-key", "order-30020-reminder", "-o", "json"));
    assertEquals(2, keyed.exit(), keyed::toString);
    assertTrue(keyed.err().contains("idempotency key order-30020-reminder already belongs to another message (delivery dlv_"), keyed::toString);
    assertFalse(keyed.err().contains("About to send"), "refused before anyone is asked");
    assertEquals(2, log().size(), "the refusal wrote no line");
  }

  @Test
  void blockedIsRecordedAndExitsFour() {
    CliRun.Result r = cli().stdin("yes\n").run(sms("+15551234567", "opted-out", "--execute"));
    assertEquals(4, r.exit(), r::toString);
    assertFalse(r.err().contains("About to send"), "a blocked send is not asked");
    assertEquals("blocked", log().get(0).get("status"));
    assertTrue(((String) log().get(0).get("error")).contains("consent"), log()::toString);
  }

  @Test
  void deferredByQuietHoursIsRecordedAndExitsFour() {
    CliRun.Result r = new CliRun(outbox()).env("COMMS_NOW", NIGHT).stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    assertEquals("deferred", json(r).get("verdict"));
    assertEquals("blocked", log().get(0).get("status"));
    assertTrue(((String) log().get(0).get("error")).startsWith("deferred: quiet hours until"), log()::toString);
  }

  @Test
  void recordedOptOutOverridesTheClaim() {
    CliRun.Result consent = cli().stdin("yes\n").run("consent.record", "--to", "+15551234567", "--state", "opted-out", "--source", "phone call", "--execute");
    assertEquals(0, consent.exit(), consent::toString);
    CliRun.Result r = cli().stdin("yes\n").run(sms("+15551234567", "opted-in", "--execute", "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    assertEquals("blocked", json(r).get("verdict"));
  }

  @Test
  void liveContractWithoutSecretsRefusesBeforeAsking() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.Result r = cli().bindings(b).stdin("yes\n").run(sms("+13125550142", "opted-in", "--execute"));
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("COMMS_TWILIO_ACCOUNT_SID"), r::toString);
    assertFalse(r.err().contains("About to send"), "refused before asking");
  }

  @Test
  void badInputWritesNothing() {
    CliRun.Result r = cli().stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "payment_needed", "--to", "+15551234567",
        "--consent-state", "opted-in", "--vars-json", "[1,2]", "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertFalse(Files.exists(outbox()));
  }
}
