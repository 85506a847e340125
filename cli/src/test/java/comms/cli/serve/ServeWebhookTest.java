package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.engagement.WebhookVerifier;
import comms.core.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /webhooks/resend through real HTTP: Svix-signed Resend events are applied once each by the same
 * core ingest engagement.ingest uses (a replay is a duplicate, a hard bounce suppresses and ends the
 * enrollment), forged, stale and unsigned ones are refused 401 and counted, and no answer or audit row
 * holds an address.
 */
class ServeWebhookTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static final Instant NOW = Instant.parse(ServeFixture.NOW);
  static final WebhookVerifier SIGNER = WebhookVerifier.of(CliRun.SAMPLE_WEBHOOK_SECRET);
  static String seq;
  static final Map<String, String> EMAIL_IDS = new LinkedHashMap<>();
  static int ids;

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
    seq = f.draftWith(ServeFixture.OPERATOR, "Hooked", 3);
    f.ok("yes\n", "replies.sync", "--as", ServeFixture.OPERATOR, "--execute");
    ServeFixture.Answer launched = f.post("/api/sequences/" + seq + "/launch", f.token(ServeFixture.OPERATOR), Map.of("state_version", 1));
    assertEquals(200, launched.status(), launched::toString);
    f.ok(null, "sequence.run", "--as", ServeFixture.OPERATOR);
    for (Object o : (List<?>) ((Map<?, ?>) Json.parse(f.ok(null, "delivery.log", "--limit", "100", "--output", "json"))).get("entries")) {
      Map<?, ?> m = (Map<?, ?>) o;
      EMAIL_IDS.putIfAbsent((String) m.get("to"), (String) m.get("provider_message_id"));
    }
    assertEquals(3, EMAIL_IDS.size(), EMAIL_IDS::toString);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String event(String type, String to, Map<String, Object> extra) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("email_id", EMAIL_IDS.get(to));
    data.put("created_at", NOW.toString());
    data.put("from", "Sam <sam@lakesideprint.com>");
    data.put("to", List.of(to));
    data.put("subject", "Welcome");
    data.putAll(extra);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("created_at", NOW.toString());
    e.put("data", data);
    return Json.write(e);
  }

  /** Posts {@code body} as Resend does, signed at {@code signedAt} under {@code id} (signature given, or ours). */
  static ServeFixture.Answer hook(String id, Instant signedAt, String body, String signature) {
    String ts = String.valueOf(signedAt.getEpochSecond());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + "/webhooks/resend")).header("Content-Type", "application/json")
        .header("svix-id", id).header("svix-timestamp", ts).header("svix-signature", signature != null ? signature : SIGNER.signature(id, ts, body))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return f.send(b.build());
  }

  static String id() {
    return "msg_serve" + (++ids);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> status() {
    return (Map<String, Object>) Json.parse(f.ok(null, "engagement.status", "--as", ServeFixture.OPERATOR, "--output", "json"));
  }

  @Test
  void aSignedEventIsAppliedOnceAndAReplayIsADuplicate() {
    String to = "hooked-0@example.com";
    String id = id();
    String body = event("email.clicked", to, Map.of("click", Map.of("link", "https://example.com/x", "timestamp", NOW.toString())));
    ServeFixture.Answer a = hook(id, NOW, body, null);
    assertEquals(200, a.status(), a::toString);
    assertEquals("click", a.json().get("result"), a::toString);
    assertEquals(seq, a.json().get("sequence_id"), a::toString);
    assertEquals(true, a.json().get("counts_as_engagement"), a::toString);
    assertFalse(a.body().contains("@example.com"), a::body);
    ServeFixture.Answer again = hook(id, NOW, body, null);
    assertEquals(200, again.status(), again::toString);
    assertEquals("duplicate", again.json().get("result"), again::toString);
    assertEquals(1L, status().get("clicks"));
    // the same rows the command writes, the webhook as actor and no address in them
    String audit = f.ok(null, "audit", "--as", ServeFixture.ADMIN, "--action", "engagement.ingest", "--output", "json");
    assertTrue(audit.contains("\"actor\": \"webhook:resend\"") && audit.contains("\"svix_id\": \"" + id + "\""), audit);
    assertFalse(audit.contains("hooked-0@"), audit);
  }

  @Test
  void aForgedStaleOrUnsignedWebhookIsRefusedCountedAndNotApplied() {
    String to = "hooked-1@example.com";
    String body = event("email.clicked", to, Map.of("click", Map.of("link", "https://example.com/x", "timestamp", NOW.toString())));
    long before = (Long) status().get("clicks");
    String id = id();
    String ts = String.valueOf(NOW.getEpochSecond());
    ServeFixture.Answer forged = hook(id, NOW, body.replace("hooked-1", "hooked-9"), SIGNER.signature(id, ts, body));
    assertEquals(401, forged.status(), forged::toString);
    assertEquals("bad_signature", forged.error().get("code"), forged::toString);
    assertTrue(((String) forged.error().get("message")).contains("nothing was applied"), forged::toString);
    ServeFixture.Answer stale = hook(id(), NOW.minus(Duration.ofMinutes(6)), body, null);
    assertEquals(401, stale.status(), stale::toString);
    assertEquals("stale", stale.error().get("code"), stale::toString);
    ServeFixture.Answer bare = f.send(HttpRequest.newBuilder(URI.create(f.base + "/webhooks/resend")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertEquals(401, bare.status(), bare::toString);
    assertEquals("missing_headers", bare.error().get("code"), bare::toString);
    ServeFixture.Answer notAnEvent = hook(id(), NOW, "[1, 2]", null);
    assertEquals(400, notAnEvent.status(), notAnEvent::toString);
    assertEquals("invalid_body", notAnEvent.error().get("code"), notAnEvent::toString);
    assertEquals(before, status().get("clicks"), "nothing refused was applied");
    Map<?, ?> refused = (Map<?, ?>) status().get("refused_by_reason");
    assertTrue(((Number) refused.get("bad_signature")).intValue() >= 1 && ((Number) refused.get("stale")).intValue() >= 1, refused::toString);
    assertFalse(forged.body().contains("Exception") || forged.body().contains("@"), forged::body);
  }

  @Test
  void aHardBounceSuppressesTheAddressAndEndsTheEnrollment() {
    String to = "hooked-2@example.com";
    ServeFixture.Answer a = hook(id(), NOW, event("email.bounced", to, Map.of("bounce", Map.of("type", "Permanent", "subType", "General", "message", "no such user"))), null);
    assertEquals(200, a.status(), a::toString);
    assertEquals("suppressed", a.json().get("result"), a::toString);
    assertEquals(1L, ((Number) a.json().get("enrollments_ended")).longValue(), a::toString);
    String list = f.ok(null, "suppression.list", "--as", ServeFixture.ADMIN, "--output", "json");
    assertTrue(list.contains(to) && list.contains("hard bounce"), list);
    String recipients = f.ok(null, "sequence.recipients", seq, "--as", ServeFixture.OPERATOR, "--output", "json");
    assertTrue(recipients.contains("\"state\": \"bounced\""), recipients);
    String audit = f.ok(null, "audit", "--as", ServeFixture.ADMIN, "--action", "engagement.suppress", "--output", "json");
    assertTrue(audit.contains("sha256:") && !audit.contains(to), audit);
  }

  @Test
  void theWebhookNeedsNoBearerTokenAndItsBodyIsSizeLimited() {
    ServeFixture.Answer big = hook(id(), NOW, "x".repeat(WorkerServer.Settings.DEFAULT_MAX_BODY + 1), "v1,AAAA");
    assertEquals(413, big.status(), big::toString);
    assertEquals("body_too_large", big.error().get("code"), big::toString);
    ServeFixture.Answer get = f.get("/webhooks/resend", null);
    assertEquals(405, get.status(), get::toString);
  }
}
