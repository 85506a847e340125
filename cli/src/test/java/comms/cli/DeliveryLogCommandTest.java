package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `comms delivery.log`: newest first, filters, formats, torn tails and --verify, through the real parser. */
class DeliveryLogCommandTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  Path outbox() {
    return tmp.resolve("outbox");
  }

  CliRun cli() {
    return new CliRun(outbox());
  }

  DeliveryJournal journal() {
    return DeliveryJournal.of(new OutboxPaths(outbox()), null);
  }

  /** 30 attempts a minute apart: even ones sms, odd ones email; every fifth failed. */
  void seed() {
    List<DeliveryRecord> rs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean sms = i % 2 == 0;
      rs.add(
          DeliveryRecord.builder()
              .time(T0.plusSeconds(60L * i))
              .deliveryId("d" + i)
              .runKey("run-" + i)
              .mode("simulation")
              .channel(sms ? "sms" : "email")
              .messageType(i % 3 == 0 ? "order_ready" : "payment_needed")
              .provider(sms ? "twilio" : "resend")
              .to(sms ? "+15551234567" : "maria@lakeside.example")
              .status(i % 5 == 0 ? "failed" : "simulated")
              .error(i % 5 == 0 ? "provider_error:503" : null)
              .idempotencyKey("k" + i)
              .build());
    }
    journal().appendAll(rs);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @SuppressWarnings("unchecked")
  static List<String> ids(CliRun.Result r) {
    List<String> out = new ArrayList<>();
    for (Object e : (List<Object>) json(r).get("entries")) {
      out.add((String) ((Map<String, Object>) e).get("delivery_id"));
    }
    return out;
  }

  @Test
  void newestTwentyByDefault() {
    seed();
    CliRun.Result r = cli().run("delivery.log", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    List<String> ids = ids(r);
    assertEquals(20, ids.size());
    assertEquals("d29", ids.get(0));
    assertEquals("d10", ids.get(19));
    assertEquals(20L, json(r).get("count"));
    assertEquals(List.of(), json(r).get("warnings"));
    assertEquals("", r.err());
  }

  @Test
  void entriesCarryTheLineFields() {
    seed();
    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) ((List<Object>) json(cli().run("delivery.log", "--limit", "1", "-o", "json")).get("entries")).get(0);
    assertEquals(DeliveryRecord.KEYS, List.copyOf(e.keySet()));
    assertEquals("2026-03-01T10:29:00.000Z", e.get("time"));
    assertEquals("maria@lakeside.example", e.get("to"));
  }

  @Test
  void filtersCombine() {
    seed();
    assertEquals(List.of("d25", "d15", "d5"), ids(cli().run("delivery.log", "--status", "failed", "--channel", "email", "-o", "json")));
    assertEquals(List.of("d20", "d10"), ids(cli().run("delivery.log", "--status", "failed", "--to", "+15551234567", "--limit", "2", "-o", "json")));
    assertEquals(
        List.of("d27", "d21", "d15", "d9", "d3"),
        ids(cli().run("delivery.log", "--message-type", "order_ready", "--to", "MARIA@lakeside.example", "-o", "json")));
    assertEquals(
        List.of("d12", "d11", "d10"),
        ids(cli().run("delivery.log", "--since", "2026-03-01T10:10:00Z", "--until", "2026-03-01T10:13:00Z", "-o", "json")));
    assertEquals(30, ids(cli().run("delivery.log", "--since", "2026-03-01", "--limit", "100", "-o", "json")).size());
    assertEquals(List.of(), ids(cli().run("delivery.log", "--status", "dead_letter", "-o", "json")));
  }

  @Test
  void tableIsForPeople() {
    seed();
    CliRun.Result r = cli().run("delivery.log", "--limit", "3");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("TIME"), r::toString);
    assertTrue(r.out().contains("2026-03-01T10:29:00.000Z  simulated  email"), r::toString);
    assertTrue(r.out().contains("3 entries, newest first"), r::toString);
  }

  @Test
  void yamlIsOneDocument() {
    seed();
    CliRun.Result r = cli().run("delivery.log", "--limit", "2", "-o", "yaml");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("entries:"), r::toString);
    assertTrue(r.out().contains("count: 2"), r::toString);
  }

  @Test
  void aMissingLogHasNoEntriesAndCreatesNothing() {
    CliRun.Result r = cli().run("delivery.log", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(0L, json(r).get("count"));
    CliRun.Result v = cli().run("delivery.log", "--verify");
    assertEquals(0, v.exit(), v::toString);
    assertTrue(v.out().contains("intact, 0 lines"), v::toString);
    // Only the runs' receipts: no log, no store.
    assertFalse(Files.exists(outbox().resolve("communications")));
    assertFalse(Files.exists(outbox().resolve("state")));
  }

  @Test
  void worksWithoutAnyContracts() {
    seed();
    CliRun.Result r = cli().bindings(tmp.resolve("no-bindings")).run("delivery.log", "--limit", "1", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("d29"), ids(r));
  }

  @Test
  void tornTailIsAWarningOnStderr() throws Exception {
    seed();
    Files.writeString(journal().file(), "{\"time\":\"2026-03-01T11:", StandardOpenOption.APPEND);
    CliRun.Result r = cli().run("delivery.log", "--limit", "1", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("d29"), ids(r));
    assertTrue(r.err().contains("warning: the last line of the delivery log is incomplete"), r::toString);
    assertEquals(1, ((List<?>) json(r).get("warnings")).size());
    CliRun.Result v = cli().run("delivery.log", "--verify");
    assertEquals(0, v.exit(), v::toString);
    assertTrue(v.err().contains("incomplete"), v::toString);
  }

  @Test
  void aTailNoCrashLeavesStopsSendsAndVerifySaysWhatToDo() throws Exception {
    seed();
    Path log = journal().file();
    long whole = Files.size(log);
    Files.writeString(log, "x".repeat(DeliveryJournal.MAX_LINE_BYTES), StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(log);
    List<Path> files;
    try (var walk = Files.walk(outbox())) {
      files = walk.sorted().toList();
    }

    CliRun.Result v = cli().run("delivery.log", "--verify");
    assertEquals(3, v.exit(), v::toString);
    assertTrue(v.out().contains("more than the longest line comms writes"), v::toString);
    assertTrue(v.out().contains("truncate -s " + whole + " " + log), v::toString);
    assertTrue(v.out().contains("30 lines before it are intact"), v::toString);

    CliRun.Result send =
        cli()
            .env("COMMS_NOW", "2026-11-18T17:00:00Z")
            .stdin("yes\n")
            .run(
                "send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", "+13127005555", "--consent-state", "opted-in",
                "--vars-json", "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}", "--execute");
    assertEquals(3, send.exit(), send::toString);
    assertTrue(send.err().contains("nothing was sent"), send::toString);
    assertTrue(send.err().contains("comms delivery.log --verify"), send::toString);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(log)), "the log was not changed");
    try (var walk = Files.walk(outbox())) {
      assertEquals(files, walk.sorted().toList(), "nothing was added to the outbox");
    }
  }

  @Test
  void verifyPassesOnAnIntactLog() {
    seed();
    CliRun.Result r = cli().run("delivery.log", "--verify", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals(Boolean.TRUE, m.get("ok"));
    assertEquals(30L, m.get("lines"));
    assertEquals(null, m.get("broken_line"));
  }

  @Test
  void operatorSelectsTheSendsMadeAsThatOperator() {
    List<DeliveryRecord> rs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rs.add(
          DeliveryRecord.builder()
              .time(T0.plusSeconds(60L * i))
              .deliveryId("d" + i)
              .runKey("run-" + i)
              .mode("simulation")
              .channel("sms")
              .messageType("order_ready")
              .provider("twilio")
              .to("+1555123456" + i)
              .status("simulated")
              .idempotencyKey("k" + i)
              .operator(i % 3 == 0 ? "sam@lakesideprint.com" : "dana@lakesideprint.com")
              .build());
    }
    journal().appendAll(rs);
    CliRun.Result sam = cli().run("delivery.log", "--operator", "Sam@LakesidePrint.com", "-o", "json");
    assertEquals(0, sam.exit(), sam::toString);
    List<?> entries = (List<?>) json(sam).get("entries");
    assertEquals(List.of("d3", "d0"), entries.stream().map(e -> ((Map<?, ?>) e).get("delivery_id")).toList(), "newest first, matched case-blind");
    assertEquals(4, ((List<?>) json(cli().run("delivery.log", "--operator", "dana@lakesideprint.com", "-o", "json")).get("entries")).size());
    assertEquals(2, cli().run("delivery.log", "--verify", "--operator", "sam@lakesideprint.com").exit(), "--verify takes no filters");
  }

  @Test
  void verifyListsSendsClaimedAndNeverFinished() {
    seed();
    CliRun.Result clean = cli().run("delivery.log", "--verify", "-o", "json");
    assertEquals(List.of(), json(clean).get("in_flight"), clean::toString);
    assertFalse(Files.exists(new OutboxPaths(outbox()).store()), "a read-only check creates no store");
    // What a run killed between its claim and its log line leaves behind.
    try (comms.core.store.Store store = comms.core.store.Store.at(new OutboxPaths(outbox()).store())) {
      assertTrue(store.claim("order-30020", "d-killed", T0) instanceof comms.core.store.IdempotencyStore.Claim.Claimed);
      store.claim("order-30021", "d29", T0);
      store.complete("order-30021", "sent", "SM1", "{}", T0);
    }
    CliRun.Result r = cli().run("delivery.log", "--verify");
    assertEquals(0, r.exit(), "the log itself is intact: " + r);
    assertTrue(r.err().contains("idempotency key order-30020 (delivery d-killed) was claimed at 2026-03-01T10:00:00Z and never finished"), r::toString);
    assertTrue(r.err().contains("--idempotency-key order-30020 to reconcile"), r::toString);
    assertFalse(r.err().contains("order-30021"), r::toString);
    assertTrue(r.out().contains("1 send was claimed and never finished"), r::toString);
    Map<String, Object> m = json(cli().run("delivery.log", "--verify", "-o", "json"));
    assertEquals(List.of(Map.of("idempotency_key", "order-30020", "delivery_id", "d-killed", "claimed_at", "2026-03-01T10:00:00Z")), m.get("in_flight"));
  }

  @Test
  void verifyFindsLinesLostFromTheEndThroughTheStateStore() throws Exception {
    seed();
    Path log = new OutboxPaths(outbox()).deliveryLog();
    try (comms.core.store.Store store = comms.core.store.Store.at(new OutboxPaths(outbox()).store())) {
      for (int i : new int[] {27, 28, 29}) {
        store.claim("k" + i, "d" + i, T0.plusSeconds(60L * i));
        store.complete("k" + i, "simulated", null, "{}", T0.plusSeconds(60L * i));
      }
    }
    assertEquals(0, cli().run("delivery.log", "--verify").exit(), "every completed send has its line");

    // Cut the last two lines: what is left is a valid chain, but the store knows better.
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, lines.size() - 2));
    CliRun.Result r = cli().run("delivery.log", "--verify");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("2 sends the state store records as completed have no lines in the log (delivery d29 and others)"), r::toString);
    assertTrue(r.out().contains("28 lines are intact, but lines after them are missing"), r::toString);
    Map<String, Object> m = json(cli().run("delivery.log", "--verify", "-o", "json"));
    assertEquals(Boolean.FALSE, m.get("ok"));
    assertEquals(List.of("d29", "d28"), m.get("missing_deliveries"));

    // A log deleted outright, with sends completed, is not "empty and fine".
    Files.delete(log);
    CliRun.Result gone = cli().run("delivery.log", "--verify");
    assertEquals(3, gone.exit(), gone::toString);
    assertTrue(gone.out().contains("3 sends the state store records as completed"), gone::toString);
  }

  @Test
  void verifyNamesTheFirstBrokenLineAndExitsThree() throws Exception {
    seed();
    Path log = journal().file();
    List<String> original = Files.readAllLines(log);
    List<String> lines = new ArrayList<>(original);
    lines.set(6, lines.get(6).replace("\"status\":\"simulated\"", "\"status\":\"sent\""));
    Files.write(log, lines);
    CliRun.Result r = cli().run("delivery.log", "--verify");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("hash mismatch at line 7"), r::toString);
    assertTrue(r.out().contains("6 lines before it are intact"), r::toString);
    Map<String, Object> m = json(cli().run("delivery.log", "--verify", "-o", "json"));
    assertEquals(Boolean.FALSE, m.get("ok"));
    assertEquals(7L, m.get("broken_line"));

    lines = new ArrayList<>(original);
    lines.remove(12);
    Files.write(log, lines);
    CliRun.Result removed = cli().run("delivery.log", "--verify");
    assertEquals(3, removed.exit(), removed::toString);
    assertTrue(removed.out().contains("chain broken at line 13"), removed::toString);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(2, cli().run("delivery.log", "--status", "lost").exit());
    assertTrue(cli().run("delivery.log", "--status", "lost").err().contains("not a delivery status"));
    assertEquals(2, cli().run("delivery.log", "--since", "yesterday").exit());
    assertEquals(2, cli().run("delivery.log", "--limit", "0").exit());
    assertEquals(2, cli().run("delivery.log", "--since", "2026-03-02", "--until", "2026-03-01").exit());
    assertEquals(2, cli().run("delivery.log", "--verify", "--status", "failed").exit());
  }

  @Test
  void reachableAsACapability() {
    seed();
    CliRun.Result r = cli().run("cap", "run", "communications.delivery.log", "--limit", "2", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("d29", "d28"), ids(r));
    assertTrue(cli().run("delivery.log", "--help").out().contains("--verify"));
  }
}
