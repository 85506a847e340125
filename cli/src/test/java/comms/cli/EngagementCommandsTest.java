package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.engagement.WebhookVerifier;
import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** engagement.ingest and engagement.status through the real parser, and the worker reading what they stored. */
class EngagementCommandsTest {
  static final Instant MONDAY = Instant.parse("2026-12-07T15:00:00Z");
  static final Instant LATER = MONDAY.plus(Duration.ofMinutes(30));
  static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  static final WebhookVerifier SIGNER = WebhookVerifier.of(CliRun.SAMPLE_WEBHOOK_SECRET);

  @TempDir Path tmp;
  int ids;

  CliRun at(Instant now) {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", now.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  CliRun.Result yes(Instant now, String... args) {
    CliRun.Result r = at(now).stdin("yes\n").run(args);
    return r;
  }

  /** A two-stage email sequence (the second only to the unengaged) launched to {@code emails}, stage 1 sent; each address's Resend email id. */
  Map<String, String> launched(String... emails) throws Exception {
    Path seq = Files.writeString(tmp.resolve("s.yaml"),
        "version: 1\nname: Nudge\nzone: America/New_York\nstages:\n"
            + "  - { medium: email, delay: \"0\", trigger: always, template: welcome_intro.email }\n"
            + "  - { medium: email, delay: 2d, trigger: no_engagement, template: welcome_followup.email }\n");
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (String e : emails) {
      csv.append(e).append(",Pat,Co\n");
    }
    Path rcp = Files.writeString(tmp.resolve("r.csv"), csv);
    assertEquals(0, yes(MONDAY, "sequence.create", "--file", seq.toString(), "--execute").exit());
    assertEquals(0, yes(MONDAY, "sequence.add-recipients", "Nudge", "--file", rcp.toString(), "--execute").exit());
    // A multi-stage launch needs the owner's reply watch healthy.
    assertEquals(0, yes(MONDAY, "replies.sync", "--execute").exit());
    assertEquals(0, yes(MONDAY, "sequence.launch", "Nudge", "--execute").exit());
    CliRun.Result run = at(MONDAY).run("sequence.run", "--output", "json");
    assertEquals((long) emails.length, json(run).get("sent"), run::toString);
    return emailIds();
  }

  Map<String, String> emailIds() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Object o : (List<?>) json(at(MONDAY).run("delivery.log", "--limit", "100", "--output", "json")).get("entries")) {
      Map<?, ?> m = (Map<?, ?>) o;
      out.putIfAbsent((String) m.get("to"), (String) m.get("provider_message_id"));
    }
    return out;
  }

  long sends(String to) {
    return ((List<?>) json(at(MONDAY).run("delivery.log", "--limit", "100", "--output", "json")).get("entries")).stream()
        .filter(o -> to.equals(((Map<?, ?>) o).get("to"))).count();
  }

  /** One captured webhook line, signed with the sample secret at {@code signedAt}. */
  String line(String type, String emailId, String to, Instant signedAt, Map<String, Object> extra) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("email_id", emailId);
    data.put("created_at", MONDAY.toString());
    data.put("from", "Dana <dana@lakesideprint.com>");
    data.put("to", List.of(to));
    data.put("subject", "Welcome");
    data.putAll(extra);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("created_at", signedAt.toString());
    event.put("data", data);
    String body = Json.write(event);
    String id = "msg_cli" + (++ids);
    String ts = String.valueOf(signedAt.getEpochSecond());
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("headers", Map.of("svix-id", id, "svix-timestamp", ts, "svix-signature", SIGNER.signature(id, ts, body)));
    w.put("body", body);
    return Json.write(w);
  }

  static Map<String, Object> open(String ua, String ip, Instant at) {
    return Map.of("open", Map.of("userAgent", ua, "ipAddress", ip, "timestamp", at.toString()));
  }

  static Map<String, Object> click(Instant at) {
    return Map.of("click", Map.of("link", "https://example.com/x", "userAgent", SAFARI, "ipAddress", "203.0.113.9", "timestamp", at.toString()));
  }

  Path file(String name, String... lines) throws Exception {
    return Files.writeString(tmp.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void anAppleMppOpenDoesNotSatisfyNoEngagementButAClickDoes() throws Exception {
    Map<String, String> ids = launched("mpp@example.com", "click@example.com");
    Path events =
        file("events.jsonl",
            line("email.delivered", ids.get("mpp@example.com"), "mpp@example.com", LATER, Map.of()),
            line("email.delivered", ids.get("click@example.com"), "click@example.com", LATER, Map.of()),
            line("email.opened", ids.get("mpp@example.com"), "mpp@example.com", LATER, open("Mozilla/5.0", "17.58.1.2", MONDAY.plusSeconds(600))),
            line("email.clicked", ids.get("click@example.com"), "click@example.com", LATER, click(MONDAY.plusSeconds(900))));
    CliRun.Result dry = at(LATER).run("engagement.ingest", "--file", events.toString(), "--output", "json");
    assertEquals(0, dry.exit(), dry::toString);
    assertEquals(false, json(dry).get("applied"));
    assertEquals(0L, json(at(LATER).run("engagement.status", "--output", "json")).get("clicks"), "a dry run writes nothing");

    CliRun.Result in = yes(LATER, "engagement.ingest", "--file", events.toString(), "--execute", "--output", "json");
    assertEquals(0, in.exit(), in::toString);
    List<?> rows = (List<?>) json(in).get("webhooks");
    assertEquals("machine_open", ((Map<?, ?>) rows.get(2)).get("result"));
    assertEquals("ignored_by:apple_mpp", ((Map<?, ?>) rows.get(2)).get("detail"));
    assertEquals("click", ((Map<?, ?>) rows.get(3)).get("result"));
    assertFalse(in.out().contains("@example.com"), "no address in the output: " + in.out());

    CliRun.Result run = at(LATER).run("sequence.run", "--until", "+3d", "--output", "json");
    assertEquals(0, run.exit(), run::toString);
    assertEquals(1L, json(run).get("sent"), run::toString);
    assertEquals(1L, json(run).get("skipped"), run::toString);
    assertEquals(2, sends("mpp@example.com"), "an Apple MPP open is no engagement: stage 2 went");
    assertEquals(1, sends("click@example.com"), "a click is engagement: stage 2 was skipped");

    Map<String, Object> status = json(at(LATER).run("engagement.status", "--sequence", "Nudge", "--output", "json"));
    assertEquals(2L, status.get("delivered"));
    assertEquals(0L, status.get("human_opens"));
    assertEquals(1L, status.get("machine_opens_ignored"));
    assertEquals(Map.of("apple_mpp", 1L), status.get("machine_opens_by_rule"));
    assertEquals(1L, status.get("clicks"));
  }

  @Test
  void aForgedOrStaleWebhookIsRefusedCountedAndNeverApplied() throws Exception {
    Map<String, String> ids = launched("click@example.com");
    String good = line("email.clicked", ids.get("click@example.com"), "click@example.com", LATER, click(LATER));
    String forged = good.replace("click@example.com", "clack@example.com");
    String stale = line("email.clicked", ids.get("click@example.com"), "click@example.com", LATER.minus(Duration.ofMinutes(6)), click(LATER));
    CliRun.Result r = yes(LATER, "engagement.ingest", "--file", file("bad.jsonl", forged, stale).toString(), "--execute", "--output", "json");
    assertEquals(4, r.exit(), r::toString);
    assertTrue(r.err().contains("2 webhooks were refused"), r.err());
    assertTrue(r.out().contains("bad_signature") && r.out().contains("stale"), r.out());
    Map<String, Object> status = json(at(LATER).run("engagement.status", "--output", "json"));
    assertEquals(2L, status.get("refused_signatures"));
    assertEquals(Map.of("bad_signature", 1L, "stale", 1L), status.get("refused_by_reason"));
    assertEquals(0L, status.get("clicks"));
    assertEquals(1L, json(at(LATER).run("sequence.run", "--until", "+3d", "--output", "json")).get("sent"), "nothing refused counted as engagement");
  }

  @Test
  void aReplayIsAppliedOnceAndAComplaintSuppresses() throws Exception {
    Map<String, String> ids = launched("angry@example.com");
    Path f = file("c.jsonl", line("email.complained", ids.get("angry@example.com"), "angry@example.com", LATER, Map.of()));
    CliRun.Result first = yes(LATER, "engagement.ingest", "--file", f.toString(), "--execute", "--output", "json");
    assertEquals(0, first.exit(), first::toString);
    assertEquals(Map.of("suppressed", 1L), json(first).get("totals"));
    CliRun.Result again = yes(LATER, "engagement.ingest", "--file", f.toString(), "--execute", "--output", "json");
    assertEquals(Map.of("duplicate", 1L), json(again).get("totals"), again::toString);
    assertEquals(1L, json(at(LATER).run("engagement.status", "--output", "json")).get("complaints"));
    CliRun.Result list = at(LATER).run("suppression.list", "--output", "json");
    assertTrue(list.out().contains("angry@example.com") && list.out().contains("spam complaint"), list.out());
    List<?> recipients = (List<?>) json(at(LATER).run("sequence.recipients", "Nudge", "--output", "json")).get("recipients");
    assertEquals("opted_out", ((Map<?, ?>) recipients.get(0)).get("state"), recipients.toString());
    CliRun.Result audit = at(LATER).run("audit", "--action", "engagement.suppress", "--output", "json");
    assertTrue(audit.out().contains("sha256:") && !audit.out().contains("angry@"), audit.out());
  }

  @Test
  void webhooksOnStdinFollowTheAnswer() throws Exception {
    Map<String, String> ids = launched("click@example.com");
    String events = line("email.clicked", ids.get("click@example.com"), "click@example.com", LATER, click(LATER)) + "\n";
    CliRun.Result r = at(LATER).stdin("yes\n" + events).run("engagement.ingest", "--file", "-", "--execute", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(1L, json(at(LATER).run("engagement.status", "--output", "json")).get("clicks"));
  }

  @Test
  void aBadLineIsRefusedWithItsFileAndLineAndChangesNothing() throws Exception {
    Path f = file("x.jsonl", "# a comment", "{\"headers\": {\"svix-id\": \"a\", \"svix-timestamp\": \"1\", \"svix-signature\": \"v1,x\"}, \"body\": {\"type\": \"email.opened\"}}");
    CliRun.Result r = yes(LATER, "engagement.ingest", "--file", f.toString(), "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("x.jsonl:2:") && r.err().contains("raw text"), r.err());
    assertFalse(Files.exists(tmp.resolve("outbox/state/comms.db")), "a refused file creates no store");
    CliRun.Result none = new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", LATER.toString()).env("COMMS_RESEND_WEBHOOK_SECRET", "")
        .run("engagement.ingest", "--file", f.toString());
    assertEquals(2, none.exit(), "the bad line is found before anything else: " + none);
    Path one = file("one.jsonl", line("email.clicked", "re_1", "x@example.com", LATER, Map.of()));
    CliRun.Result unset = new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", LATER.toString()).env("COMMS_RESEND_WEBHOOK_SECRET", "")
        .stdin("yes\n").run("engagement.ingest", "--file", one.toString(), "--execute", "--output", "json");
    assertEquals(4, unset.exit(), unset::toString);
    assertTrue(unset.out().contains("no_secret") && unset.out().contains("COMMS_RESEND_WEBHOOK_SECRET is not set"), unset.out());
    assertEquals(Map.of("no_secret", 1L), json(at(LATER).run("engagement.status", "--output", "json")).get("refused_by_reason"));
  }
}
