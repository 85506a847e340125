package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.provider.LiveFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live send.execute against a loopback Twilio: provider answers become statuses, exit codes and store records. */
class LiveFaultsTest {
  static final String VARS = "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";
  static final String TO = "+13125550142";

  @TempDir Path tmp;
  MockWebServer twilio;
  Path bindings;

  @BeforeEach
  void start() throws IOException {
    twilio = new MockWebServer();
    twilio.start();
    bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "base_delay_ms: 500", "base_delay_ms: 1");
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "max_delay_ms: 30000", "max_delay_ms: 20");
    String base = "http://127.0.0.1:" + twilio.getPort();
    CliRun.edit(bindings, "communications.providers.contract.yaml", "base_url: https://api.twilio.com", "base_url: " + base);
  }

  @AfterEach
  void stop() throws IOException {
    twilio.close();
  }

  CliRun cli() {
    CliRun c = new CliRun(tmp.resolve("outbox")).bindings(bindings).env("COMMS_NOW", "2026-11-18T17:00:00Z");
    LiveFixtures.env().forEach(c::env);
    return c;
  }

  CliRun.Result send() {
    return cli().stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", TO,
        "--consent-state", "opted-in", "--vars-json", VARS, "--execute", "-o", "json");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  static MockResponse twilioError(int http, int code, String message) {
    return new MockResponse.Builder()
        .code(http)
        .addHeader("Content-Type", "application/json")
        .body("{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + http + "}")
        .build();
  }

  @Test
  void error21610RecordsTheRecipientAsOptedOutAndLaterSendsAreBlocked() throws Exception {
    twilio.enqueue(twilioError(400, 21610, "Attempt to send to unsubscribed recipient"));
    CliRun.Result r = send();
    assertEquals(6, r.exit(), r::toString);
    assertEquals("failed", json(r).get("status"));
    assertTrue(r.err().contains("opted out"), r::toString);
    assertEquals(1, twilio.getRequestCount());
    CliRun.Result again = send();
    assertEquals(4, again.exit(), again::toString);
    assertEquals("blocked", json(again).get("verdict"));
    assertEquals(1, twilio.getRequestCount(), "a recorded opt-out stops the send before any request");
  }

  @Test
  void retriesThenDeadLettersWithTheLastError() throws Exception {
    for (int i = 0; i < 5; i++) {
      twilio.enqueue(new MockResponse.Builder().code(503).body("unavailable").build());
    }
    CliRun.Result r = send();
    assertEquals(6, r.exit(), r::toString);
    assertEquals("dead_letter", json(r).get("status"));
    assertEquals(5, twilio.getRequestCount());
    assertTrue(r.err().contains("attempt 1 of 5"), r::toString);
    String log = Files.readString(tmp.resolve("outbox/communications/communications-delivery-log.jsonl"));
    assertTrue(log.contains("\"status\":\"dead_letter\"") && log.contains("\"attempts\":5"), log);
  }

  @Test
  void aFailedSendCanBeRetriedWithTheSameKey() throws Exception {
    twilio.enqueue(twilioError(400, 21211, "Invalid 'To' Phone Number"));
    assertEquals(6, send().exit());
    twilio.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
        .body("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}").build());
    CliRun.Result r = send();
    assertEquals(0, r.exit(), r::toString);
    assertEquals("queued", json(r).get("status"));
    assertEquals("SM0123456789abcdef0123456789abcdef", json(r).get("provider_message_id"));
  }

  /** send.execute to {@code to} (its own message and key), approved. */
  CliRun.Result send(String to) {
    return cli().stdin("yes\n").run("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", to,
        "--consent-state", "opted-in", "--vars-json", VARS, "--execute", "-o", "json");
  }

  int usedToday() {
    Map<?, ?> dana = (Map<?, ?>) ((java.util.List<?>) json(cli().run("operators.list", "-o", "json")).get("operators")).get(0);
    return ((Number) dana.get("used_today")).intValue();
  }

  static MockResponse queued() {
    return new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
        .body("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}").build();
  }

  @Test
  void aSendTheProviderRefusedDoesNotCountAgainstTheOperatorsCap() throws Exception {
    CliRun.edit(bindings, "communications.operators.yaml", "per_minute_cap: 30", "per_minute_cap: 1");
    twilio.enqueue(twilioError(400, 21211, "Invalid 'To' Phone Number"));
    assertEquals(6, send("+13125550143").exit());
    for (int i = 0; i < 5; i++) {
      twilio.enqueue(new MockResponse.Builder().code(503).body("unavailable").build());
    }
    assertEquals("dead_letter", json(send("+13125550144")).get("status"));
    assertEquals(0, usedToday(), "neither refused send used a unit");
    twilio.enqueue(queued());
    CliRun.Result ok = send("+13125550145");
    assertEquals(0, ok.exit(), "the cap of 1 a minute still has its unit: " + ok);
    assertEquals(1, usedToday());
    CliRun.Result over = send("+13125550146");
    assertEquals(4, over.exit(), over::toString);
    assertEquals("minute_cap_exhausted:1", json(over).get("error"));
    assertEquals(7, twilio.getRequestCount(), "the capped send made no request");
  }

  @Test
  void aSendThatMayHaveArrivedStillCountsAgainstTheCap() throws Exception {
    CliRun.edit(bindings, "communications.operators.yaml", "per_minute_cap: 30", "per_minute_cap: 1");
    CliRun.edit(bindings, "communications.providers.contract.yaml", "base_url: http://127.0.0.1:" + twilio.getPort(),
        "base_url: http://127.0.0.1:" + twilio.getPort() + "\n    read_timeout_ms: 300");
    twilio.enqueue(new MockResponse.Builder().headersDelay(3, java.util.concurrent.TimeUnit.SECONDS).code(201).build());
    CliRun.Result r = send("+13125550147");
    assertEquals(6, r.exit(), r::toString);
    assertEquals(1, usedToday(), "Twilio took the request and never answered: it may have sent, so the unit stays used");
    assertEquals(4, send("+13125550148").exit());
  }
}
