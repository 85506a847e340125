package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.provider.FakeAuthority;
import comms.core.provider.LiveFixtures;
import comms.core.provider.PrismMocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** send.execute and mail.send.test in live mode, through the real parser, against the providers' Prism mocks. */
@Tag("mocks")
@ExtendWith(PrismMocks.Plain.class)
class LiveSendTest {
  static final String VALID_SMS = "+13125550142";
  static final String VARS = "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";

  @TempDir Path tmp;
  FakeAuthority authority;
  Path bindings;

  @BeforeEach
  void setUp() {
    authority = new FakeAuthority();
    bindings = CliRun.livePilotBindings(tmp, PrismMocks.GRAPH, authority.url());
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.edit(bindings, "communications.providers.contract.yaml", "base_url: https://api.resend.com", "base_url: " + PrismMocks.RESEND);
    CliRun.edit(bindings, "communications.providers.contract.yaml", "base_url: https://api.twilio.com", "base_url: " + PrismMocks.TWILIO);
  }

  @AfterEach
  void close() {
    authority.close();
  }

  CliRun cli() {
    CliRun c = new CliRun(tmp.resolve("outbox")).bindings(bindings).env("COMMS_NOW", "2026-11-18T17:00:00Z");
    LiveFixtures.env().forEach(c::env);
    return c;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  void assertNoSecrets(CliRun.Result r) throws IOException {
    LiveFixtures.assertNoSecret("stdout", r.out());
    LiveFixtures.assertNoSecret("stderr", r.err());
    try (Stream<Path> files = Files.walk(tmp.resolve("outbox")).filter(Files::isRegularFile)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.toString().endsWith(".db") && !f.toString().endsWith(".db-wal") && !f.toString().endsWith(".db-shm")) {
          LiveFixtures.assertNoSecret(f.toString(), Files.readString(f));
        } else {
          LiveFixtures.assertNoSecret(f.toString(), new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
    }
  }

  @Test
  void smsGoesThroughTwilio() throws IOException {
    CliRun.Result r =
        cli().stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", VALID_SMS,
            "--consent-state", "opted-in", "--vars-json", VARS, "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("live", m.get("mode"));
    assertTrue(m.get("status").equals("queued") || m.get("status").equals("sent"), r::toString);
    assertTrue(((String) m.get("provider_message_id")).length() > 0, r::toString);
    assertTrue(r.err().contains("a real message will be sent"), "the prompt says it is live");
    String log = Files.readString(tmp.resolve("outbox/communications/communications-delivery-log.jsonl"));
    assertTrue(log.contains("\"mode\":\"live\""), log);
    assertNoSecrets(r);
  }

  @Test
  void emailGoesThroughResend() throws IOException {
    CliRun.Result r =
        cli().stdin("yes\n").run("send.execute", "--channel", "email", "--message-type", "order_ready", "--to", "ana@example.com",
            "--consent-state", "implied", "--vars-json", VARS, "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("sent", json(r).get("status"), r::toString);
    assertNoSecrets(r);
  }

  @Test
  void sendTestGoesThroughGraph() throws IOException {
    CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot test", "--body", "hello", "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("sent", json(r).get("status"), r::toString);
    assertEquals("live-pilot", json(r).get("mode"));
    assertNoSecrets(r);
  }

  @Test
  void aSendTestGraphNeverGotDoesNotCountAgainstTheCap() {
    authority.refuse();
    CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot test", "--body", "hello", "--execute");
    assertEquals(6, r.exit(), r::toString);
    Map<?, ?> dana = (Map<?, ?>) ((java.util.List<?>) json(cli().run("operators.list", "-o", "json")).get("operators")).get(0);
    assertEquals(0, ((Number) dana.get("used_today")).intValue(), "the token was refused, nothing reached Graph: the unit is given back");
  }

  @Test
  void missingSecretsFailBeforeAskingAndNameTheVariables() {
    CliRun c = new CliRun(tmp.resolve("outbox")).bindings(bindings).env("COMMS_NOW", "2026-11-18T17:00:00Z");
    CliRun.Result r =
        c.stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", VALID_SMS,
            "--consent-state", "opted-in", "--vars-json", VARS, "--execute");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("COMMS_TWILIO_AUTH_TOKEN"), r::toString);
    assertFalse(r.err().contains("About to send"), r::toString);
    assertFalse(Files.exists(tmp.resolve("outbox/communications")));
  }

  @Test
  void fictionalNumberFailsInLiveMode() {
    CliRun.Result r =
        cli().stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", "+15551234567",
            "--consent-state", "opted-in", "--vars-json", VARS, "--execute");
    assertEquals(4, r.exit(), r::toString);
  }
}
