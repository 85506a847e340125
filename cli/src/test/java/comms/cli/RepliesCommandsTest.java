package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mail.simulate-inbound, replies.sync and replies.status through the real parser, on the sample sequence in simulation. */
class RepliesCommandsTest {
  static final Path SAMPLES = CliRun.SAMPLE_BINDINGS.resolveSibling("examples");
  static final String MONDAY = "2026-12-07T15:00:00Z";
  static final String DANA = "dana@lakesideprint.com";

  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", MONDAY);
  }

  CliRun.Result yes(String... args) {
    CliRun.Result r = cli().stdin("yes\n").run(args);
    return r;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  String launched() {
    assertEquals(0, yes("sequence.create", "--file", SAMPLES.resolve("sequences/welcome.sequence.yaml").toString(), "--execute").exit());
    assertEquals(0, yes("sequence.add-recipients", "Welcome", "--file", SAMPLES.resolve("sequences/welcome.recipients.csv").toString(), "--execute").exit());
    CliRun.Result refused = yes("sequence.launch", "Welcome", "--execute");
    assertEquals(4, refused.exit(), refused::toString);
    assertTrue(refused.err().contains("has later stages and the reply watch of " + DANA + " has never synced"), refused.err());
    assertEquals(0, yes("replies.sync", "--execute").exit());
    assertEquals(0, yes("sequence.launch", "Welcome", "--execute").exit());
    assertEquals(0, cli().run("sequence.run").exit());
    return (String) json(cli().run("sequence.show", "Welcome", "--output", "json")).get("id");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> recipient(String email) {
    List<Map<String, Object>> rs = (List<Map<String, Object>>) json(cli().run("sequence.recipients", "Welcome", "--output", "json")).get("recipients");
    return rs.stream().filter(r -> email.equals(r.get("email"))).findFirst().orElseThrow();
  }

  @Test
  void aSimulatedReplyStopsTheFollowUpAndTheLogCarriesMessageIds() {
    launched();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> log = (List<Map<String, Object>>) json(cli().run("delivery.log", "--output", "json")).get("entries");
    assertEquals(6, log.size(), "six accepted recipients (no domain suppressed here)");
    for (Map<String, Object> l : log) {
      assertEquals("<" + l.get("delivery_id") + "@lakesideprint.com>", l.get("message_id"), l.toString());
    }
    CliRun.Result dry = cli().run("mail.simulate-inbound", "--from", "Maria <maria.gomez@example.org>", "--to", DANA, "--in-reply-to", "last", "--subject", "Re: Welcome",
        "--body", "Call me", "--output", "json");
    assertEquals(0, dry.exit(), dry::toString);
    assertFalse(Files.exists(tmp.resolve("outbox/communications/simulated-inbox.jsonl")), "a dry run delivers nothing");
    CliRun.Result put = yes("mail.simulate-inbound", "--from", "Maria <maria.gomez@example.org>", "--to", DANA, "--in-reply-to", "last", "--subject", "Re: Welcome",
        "--body", "Call me", "--execute", "--output", "json");
    assertEquals(0, put.exit(), put::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = ((List<Map<String, Object>>) json(put).get("messages")).get(0);
    String maria = log.stream().filter(l -> "maria.gomez@example.org".equals(l.get("to"))).findFirst().orElseThrow().get("message_id").toString();
    assertEquals(maria, m.get("in_reply_to"));

    CliRun.Result sync = yes("replies.sync", "--execute", "--output", "json");
    assertEquals(0, sync.exit(), sync::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> dana = ((List<Map<String, Object>>) json(sync).get("owners")).stream().filter(o -> DANA.equals(o.get("owner"))).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> effect = ((List<Map<String, Object>>) dana.get("messages")).get(0);
    assertEquals("human_reply", effect.get("class"));
    assertEquals("in_reply_to", effect.get("match_reason"));
    assertEquals("replied", effect.get("action"));
    assertEquals("replied", recipient("maria.gomez@example.org").get("state"));
    assertEquals("replied:in_reply_to", recipient("maria.gomez@example.org").get("reason"));

    CliRun.Result run = cli().run("sequence.run", "--until", "+21d", "--output", "json");
    assertEquals(0, run.exit(), run::toString);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> after = (List<Map<String, Object>>) json(cli().run("delivery.log", "--limit", "100", "--output", "json")).get("entries");
    assertEquals(0, after.stream().filter(l -> "maria.gomez@example.org".equals(l.get("to")) && Long.valueOf(2).equals(l.get("stage"))).count(), "no follow-up to Maria");
    assertEquals(5, after.stream().filter(l -> Long.valueOf(2).equals(l.get("stage"))).count(), "the follow-up to the five others");

    CliRun.Result status = cli().run("replies.status", "--output", "json");
    assertEquals(0, status.exit(), status::toString);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> watches = (List<Map<String, Object>>) json(status).get("watches");
    assertTrue(watches.stream().anyMatch(w -> DANA.equals(w.get("owner")) && Boolean.TRUE.equals(w.get("healthy"))), watches.toString());
    assertTrue(cli().run("replies.status").out().contains("human_reply"));
  }

  @Test
  void anOutOfOfficeFromTheFixturesPausesAndSequenceShowSaysWhy() {
    launched();
    CliRun.Result put = yes("mail.simulate-inbound", "--fixtures", SAMPLES.resolve("replies/inbound.yaml").toString(), "--execute");
    assertEquals(0, put.exit(), put::toString);
    assertEquals(0, yes("replies.sync", "--execute").exit());
    Map<String, Object> lee = recipient("lee.park@example.com");
    assertEquals("paused", lee.get("state"));
    assertEquals("2026-12-14T00:00:00Z", lee.get("paused_until"));
    assertTrue(String.valueOf(lee.get("reason")).startsWith("out_of_office:until 2026-12-14"), lee.toString());
    String show = cli().run("sequence.show", "Welcome").out();
    assertTrue(show.contains("out_of_office:until 2026-12-14T00:00:00Z (read from the reply)"), show);
    // Tom's reply has no threading headers: matched by his address and the subject, and the reason says so.
    assertEquals("replied", recipient("tom.reed@example.org").get("state"));
    assertEquals("replied:same_conversation", recipient("tom.reed@example.org").get("reason"));
  }

  @Test
  void aBadFixturesFileIsRefusedAtItsLineAndWritesNothing() throws Exception {
    launched();
    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "messages:\n  - from: a@example.com\n    to: dana@lakesideprint.com\n    in_reply_to: not-an-id\n");
    CliRun.Result r = yes("mail.simulate-inbound", "--fixtures", bad.toString(), "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("bad.yaml:2") && r.err().contains("in-reply-to 'not-an-id' is not a Message-ID"), r.err());
    assertFalse(Files.exists(tmp.resolve("outbox/communications/simulated-inbox.jsonl")));
    CliRun.Result header = yes("mail.simulate-inbound", "--from", "a@example.com", "--to", DANA, "--header", "NoColon", "--execute");
    assertEquals(2, header.exit(), header::toString);
    assertTrue(header.err().contains("--header 'NoColon' must be NAME:VALUE"), header.err());
  }

  @Test
  void replyingToNothingSentIsRefused() {
    CliRun.Result r = yes("mail.simulate-inbound", "--from", "x@example.com", "--to", DANA, "--in-reply-to", "last", "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("has sent x@example.com nothing with a Message-ID yet"), r.err());
  }

  @Test
  void followNeedsExecuteAndTheRealClock() {
    CliRun.Result dry = cli().run("replies.sync", "--follow");
    assertEquals(2, dry.exit(), dry::toString);
    assertTrue(dry.err().contains("--follow keeps applying what the inboxes say; add --execute"), dry.err());
    CliRun.Result replay = yes("replies.sync", "--follow", "--execute");
    assertEquals(2, replay.exit(), replay::toString);
    assertTrue(replay.err().contains("unset COMMS_NOW to follow"), replay.err());
  }

  @Test
  void anOperatorMaySyncOnlyTheirOwnInbox() {
    CliRun.Result r = yes("replies.sync", "--as", "sam@lakesideprint.com", "--owner", DANA, "--execute");
    assertEquals(4, r.exit(), r::toString);
    CliRun.Result own = yes("replies.sync", "--as", "sam@lakesideprint.com", "--execute", "--output", "json");
    assertEquals(0, own.exit(), own::toString);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> owners = (List<Map<String, Object>>) json(own).get("owners");
    assertEquals(List.of("sam@lakesideprint.com"), owners.stream().map(o -> o.get("owner")).toList());
    assertNull(owners.get(0).get("error"));
  }
}
