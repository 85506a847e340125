package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.App;
import comms.cli.CliRun;
import comms.cli.TestApps;
import comms.core.imessage.ChatDbInbound;
import comms.core.imessage.ImessageDaemon;
import comms.core.imessage.OsascriptImessage;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iMessage path through comms serve: consent captured on the command line, a sequence's iMessage
 * stage queued by the worker, the daemon endpoints behind a daemon token (not an operator's), the
 * daemon command sending through a fake osascript on PATH, an inbound STOP from a fake chat.db, the
 * daemon's health in sequence.show and the dashboard, and 503 daemon_disabled when switched off.
 */
class ImessageServeTest {
  static final String NOW = "2026-11-23T16:00:00Z"; // a Monday, 10:00 in Chicago
  static final String JWT = "test-secret-of-at-least-thirty-two-bytes-0123456789";
  static final String DAEMON = "daemon-secret-of-at-least-thirty-two-bytes-abcdefgh";
  static final String LEE = "+15551234567";
  static final String DISCLOSURE = "Yes, Lakeside Print may text me about my orders by iMessage. Reply STOP to end.";

  @TempDir Path tmp;
  final Map<String, String> env = new HashMap<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  App app;
  WorkerServer server;
  String base;

  void start(Path bindings) throws IOException {
    env.put("COMMS_BINDINGS", bindings.toString());
    env.put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
    env.put("COMMS_NOW", NOW);
    env.put("COMMS_JWT_SECRET", JWT);
    env.put(DaemonTokens.SECRET_ENV, DAEMON);
    env.put("NO_COLOR", "1");
    app = TestApps.app(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter(), true));
    server = WorkerServer.start(app, new WorkerServer.Settings(new InetSocketAddress("127.0.0.1", 0), false, WorkerServer.Settings.DEFAULT_MAX_BODY, 4, Duration.ofSeconds(5)),
        BearerTokens.from(env, clock()));
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      app.close();
    }
  }

  static Clock clock() {
    return Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC);
  }

  CliRun cli() {
    CliRun c = new CliRun(tmp.resolve("outbox"));
    env.forEach(c::env);
    return c;
  }

  CliRun.Result ok(String stdin, String... args) {
    CliRun.Result r = stdin == null ? cli().run(args) : cli().stdin(stdin).run(args);
    assertEquals(0, r.exit(), r::toString);
    return r;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.parse(text);
  }

  String daemonToken() {
    return DaemonTokens.from(env, clock()).mint("mac-mini");
  }

  HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Registers {@code email} with {@code phone}; a one-stage iMessage sequence of the default operator for them, launched and run once. */
  void queued(String... emailsAndPhones) throws IOException {
    StringBuilder csv = new StringBuilder("email,first_name\n");
    for (int i = 0; i < emailsAndPhones.length; i += 2) {
      ok("yes\n", "recipient.register-phone", "--email", emailsAndPhones[i], "--phone", emailsAndPhones[i + 1], "--consent-text", DISCLOSURE,
          "--consent-at", "2026-11-02T15:04:00Z", "--execute");
      csv.append(emailsAndPhones[i]).append(",R").append(i).append('\n');
    }
    Path seq = Files.writeString(tmp.resolve("nudge.sequence.yaml"),
        "name: Nudge\nzone: America/Chicago\nwindow: { start: \"08:00\", end: \"20:00\" }\nstages:\n  - { medium: imessage, template: welcome_nudge.sms }\n");
    Path rows = Files.writeString(tmp.resolve("nudge.csv"), csv.toString());
    ok("yes\n", "sequence.create", "--file", seq.toString(), "--execute");
    ok("yes\n", "sequence.add-recipients", "Nudge", "--file", rows.toString(), "--execute");
    ok("yes\n", "sequence.launch", "Nudge", "--execute");
    CliRun.Result run = ok(null, "sequence.run", "-o", "json");
    assertEquals((long) emailsAndPhones.length / 2, ((Number) json(run.out()).get("sent")).longValue(), run::toString);
  }

  @Test
  void consentIsCapturedOnlyByAllowlistedOperatorsAndAuditedByHash() throws IOException {
    start(CliRun.SAMPLE_BINDINGS);
    CliRun.Result dry = ok(null, "recipient.register-phone", "--email", "lee@example.com", "--phone", LEE, "--consent-text", DISCLOSURE, "--consent-at", "2026-11-02T15:04:00Z", "-o", "json");
    assertEquals(false, json(dry.out()).get("applied"));
    CliRun.Result sam = cli().stdin("yes\n").run("recipient.register-phone", "--as", "sam@lakesideprint.com", "--email", "lee@example.com", "--phone", LEE,
        "--consent-text", DISCLOSURE, "--consent-at", "2026-11-02T15:04:00Z", "--execute");
    assertEquals(4, sam.exit(), sam::toString);
    assertTrue(sam.err().contains("not on the iMessage allowlist"), sam::toString);
    CliRun.Result bad = cli().run("recipient.register-phone", "--email", "lee@example.com", "--phone", "(555) 123-4567", "--consent-text", DISCLOSURE, "--consent-at", "2026-11-02T15:04:00Z");
    assertEquals(2, bad.exit(), bad::toString);
    assertTrue(bad.err().contains("--phone") && bad.err().contains("E.164"), bad::toString);
    CliRun.Result later = cli().run("recipient.register-phone", "--email", "lee@example.com", "--phone", LEE, "--consent-text", DISCLOSURE, "--consent-at", "2026-12-24T00:00:00Z");
    assertEquals(2, later.exit(), later::toString);
    CliRun.Result done = ok("yes\n", "recipient.register-phone", "--email", "lee@example.com", "--phone", LEE, "--consent-text", DISCLOSURE,
        "--consent-at", "2026-11-02T15:04:00Z", "--execute", "-o", "json");
    assertFalse(done.out().contains(LEE), done::toString);
    assertEquals(AuditTrail.hash(LEE), json(done.out()).get("phone_sha256"));
    String audit = ok(null, "audit", "--limit", "50", "-o", "json").out();
    assertFalse(audit.contains(LEE) && !audit.contains("sha256"), audit);
    assertFalse(audit.contains("5551234567"), audit);
    assertTrue(audit.contains(AuditTrail.hash(LEE)) && audit.contains("recipient.register-phone") && audit.contains("imessage_not_allowlisted"), audit);
    CliRun.Result revoked = ok("yes\n", "recipient.revoke-phone", "--email", "lee@example.com", "--execute", "-o", "json");
    Map<String, Object> r = json(revoked.out());
    assertEquals(false, r.get("phone_consent_for_imessage"));
    assertEquals(true, r.get("suppressed_for_imessage"));
    CliRun.Result again = cli().stdin("yes\n").run("recipient.register-phone", "--email", "lee@example.com", "--phone", LEE, "--consent-text", DISCLOSURE,
        "--consent-at", "2026-11-02T15:04:00Z", "--execute");
    assertEquals(4, again.exit(), "a number that said STOP is not registered again: " + again);
  }

  @Test
  void theDaemonEndpointsTakeOnlyADaemonToken() throws IOException {
    start(CliRun.SAMPLE_BINDINGS);
    queued("lee@example.com", LEE);
    assertEquals(401, call("GET", ImessageRoutes.PENDING, null, null).statusCode());
    String operatorToken = BearerTokens.from(env, clock()).mint("dana@lakesideprint.com", BearerTokens.Scope.API, Duration.ofMinutes(5));
    HttpResponse<String> asOperator = call("GET", ImessageRoutes.PENDING, operatorToken, null);
    assertEquals(401, asOperator.statusCode(), asOperator.body());
    assertTrue(asOperator.body().contains("not a daemon token"), asOperator.body());
    HttpResponse<String> pending = call("GET", ImessageRoutes.PENDING, daemonToken(), null);
    assertEquals(200, pending.statusCode(), pending.body());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) json(pending.body()).get("items");
    assertEquals(1, items.size(), pending.body());
    assertEquals(LEE, items.get(0).get("phone"));
    assertTrue(((String) items.get(0).get("body")).startsWith("Hi R0"), pending.body());
    String id = (String) items.get(0).get("id");
    HttpResponse<String> noReason = call("POST", "/api/imessage/outbound/" + id + "/failed", daemonToken(), "{}");
    assertEquals(400, noReason.statusCode(), noReason.body());
    HttpResponse<String> sent = call("POST", "/api/imessage/outbound/" + id + "/sent", daemonToken(), "{}");
    assertEquals(200, sent.statusCode(), sent.body());
    assertEquals("sent", json(sent.body()).get("state"));
    assertEquals(409, call("POST", "/api/imessage/outbound/" + id + "/sent", daemonToken(), "{}").statusCode());
    assertEquals(404, call("POST", "/api/imessage/outbound/im_nope/failed", daemonToken(), "{\"error\": \"x\"}").statusCode());
    String log = ok(null, "delivery.log", "--limit", "10", "-o", "json").out();
    assertTrue(log.contains("\"queued\"") && log.contains("\"sent\"") && log.contains(id), log);
    // Health: the poll just now makes the daemon healthy in sequence.show and on the dashboard.
    Map<String, Object> show = json(ok(null, "sequence.show", "Nudge", "-o", "json").out());
    @SuppressWarnings("unchecked")
    Map<String, Object> health = (Map<String, Object>) show.get("imessage_daemon");
    assertEquals(true, health.get("healthy"), show.toString());
    assertEquals("mac-mini", health.get("daemon_id"));
    HttpResponse<String> page = call("GET", "/api/dashboard", operatorToken, null);
    assertTrue(page.body().contains("iMessage daemon") && page.body().contains("healthy (last poll 2026-11-23T16:00:00Z)"), page.body());
  }

  /** A fake osascript first on PATH that appends its arguments, NUL-separated, to {@code record}. */
  Path fakeOsascript(Path record) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path script = bin.resolve("osascript");
    Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> '" + record + "'\nprintf '\\n\\0' >> '" + record + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** A chat.db with Messages' message and handle tables, empty. */
  Path chatDb() throws SQLException {
    Path db = tmp.resolve("chat.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT)");
      st.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT, handle_id INTEGER, is_from_me INTEGER, date INTEGER)");
      st.execute("INSERT INTO handle (id, service) VALUES ('" + LEE + "', 'iMessage')");
      st.execute("INSERT INTO message (text, handle_id, is_from_me) VALUES ('an old STOP from before the daemon started', 1, 0)");
    }
    return db;
  }

  static void received(Path db, String text, int fromMe) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); var ps = c.prepareStatement("INSERT INTO message (text, handle_id, is_from_me) VALUES (?, 1, ?)")) {
      ps.setString(1, text);
      ps.setInt(2, fromMe);
      ps.executeUpdate();
    }
  }

  @Test
  void theDaemonSendsThroughOsascriptAndAStopFromChatDbRevokesConsent() throws Exception {
    start(CliRun.SAMPLE_BINDINGS);
    queued("lee@example.com", LEE, "kim@example.com", "+15557654321");
    Path record = tmp.resolve("osascript-args.bin");
    Path bin = fakeOsascript(record);
    Path db = chatDb();
    CliRun.Result once = cli().env("PATH", bin + ":/usr/bin:/bin").run("imessage.daemon", "--server", base, "--passes", "1", "--chat-db", db.toString(), "--daemon-id", "mac-mini", "-o", "json");
    assertEquals(0, once.exit(), once::toString);
    Map<String, Object> v = json(once.out());
    // Two texts queued for one operator: pacing hands out one now, the other 30 s later.
    assertEquals(1L, ((Number) v.get("sent")).longValue(), once::toString);
    List<String> args = Arrays.asList(new String(Files.readAllBytes(record), StandardCharsets.UTF_8).split("\0", -1));
    assertEquals("-e", args.get(0));
    assertEquals(OsascriptImessage.SCRIPT.get(0), args.get(1));
    assertTrue(args.get(2 * OsascriptImessage.SCRIPT.size() + 1).startsWith("Hi R"), args.toString());
    // The inbound side: the daemon's loop against the Worker, a STOP arriving between two polls.
    ImessageDaemon daemon =
        new ImessageDaemon(new DaemonClient(URI.create(base + "/"), DaemonTokens.from(env, clock()), "mac-mini"),
            new OsascriptImessage("osascript", Duration.ofSeconds(20), Map.of("PATH", bin.toString())), new ChatDbInbound(db), s -> {});
    assertEquals(0, daemon.once().inbound(), "the first poll starts from now: the old STOP is history");
    received(db, "STOP", 0);
    received(db, "STOP", 1); // our own text is never an opt-out
    ImessageDaemon.Poll p = daemon.once();
    assertEquals(1, p.inbound());
    assertEquals(1, p.optOuts());
    Map<String, Object> lee = json(ok(null, "recipient.revoke-phone", "--email", "lee@example.com", "-o", "json").out());
    assertEquals(false, lee.get("phone_consent_for_imessage"), lee.toString());
    assertEquals(true, lee.get("suppressed_for_imessage"), lee.toString());
    String audit = ok(null, "audit", "--action", "imessage.inbound", "-o", "json").out();
    assertTrue(audit.contains("imessage-daemon") && audit.contains(AuditTrail.hash(LEE)) && !audit.contains("5551234567"), audit);
  }

  @Test
  void aDisabledDaemonIsAnswered503() throws IOException {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.sequences.contract.yaml", "daemon: enabled", "daemon: disabled");
    start(b);
    HttpResponse<String> r = call("GET", ImessageRoutes.PENDING, daemonToken(), null);
    assertEquals(503, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"daemon_disabled\""), r.body());
    HttpResponse<String> sent = call("POST", "/api/imessage/outbound/im_x/sent", daemonToken(), "{}");
    assertEquals(503, sent.statusCode(), sent.body());
    CliRun.Result d = cli().run("imessage.daemon", "--server", base, "--passes", "1", "--chat-db", "none");
    assertEquals(6, d.exit(), d::toString);
    assertTrue(d.err().contains("503 daemon_disabled"), d::toString);
  }
}
