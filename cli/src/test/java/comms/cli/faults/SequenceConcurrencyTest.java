package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, concurrency (SQLite): {@code faults.seqconc.workers} (4) {@code sequence.run} processes at
 * once over one outbox and one SQLite store, {@code faults.seqconc.enrollments} enrollments of a
 * two-stage sequence (400 in CI, 10^4 with {@code -Dfaults.scale=full}, which {@code bench/faults}
 * and {@code bench/sequence-workers} pass). While the workers are sending the first stage, people
 * reply to it ({@code mail.simulate-inbound}, then {@code replies.sync --execute}, both racing the
 * workers for the store): those recipients' second stage never goes. Every other (recipient, stage)
 * is sent exactly once, none lost, the log's chain verifies, and no worker saw the store locked.
 */
@Tag("faults")
class SequenceConcurrencyTest {
  static final String MONDAY = "2026-12-07T15:00:00Z"; // 10:00 in New York
  static final String OWNER = "dana@lakesideprint.com";
  static final int WORKERS = Integer.getInteger("faults.seqconc.workers", 4);
  static final int ENROLLMENTS = Integer.getInteger("faults.seqconc.enrollments", FaultsScale.FULL ? 10_000 : 400);
  static final int REPLIES = Integer.getInteger("faults.seqconc.replies", 20);

  @TempDir Path tmp;

  Path outbox;

  CliRun cli() {
    return new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n");
  }

  static CliRun.Result ok(CliRun.Result r) {
    assertEquals(0, r.exit(), r::toString);
    return r;
  }

  @Test
  void fourWorkersSendEachStageOnceAndARepliesMidRunStopTheSecondStage() throws Exception {
    outbox = tmp.resolve("outbox");
    Path file = Files.writeString(tmp.resolve("two.sequence.yaml"), """
        version: 1
        name: Two stages
        zone: America/New_York
        window: { start: "08:00", end: "20:00" }
        stages:
          - { medium: email, delay: "0", trigger: always, template: welcome_intro.email }
          - { medium: email, delay: 1d, trigger: no_reply, template: welcome_followup.email }
        """);
    ok(cli().run("operators.update", "--email", OWNER, "--daily-cap", "1000000", "--per-minute-cap", "10000", "--execute"));
    ok(cli().run("operators.update", "--email", "sam@lakesideprint.com", "--role", "admin", "--execute"));
    ok(cli().run("sequence.create", "--file", file.toString(), "--execute"));
    for (int from = 0; from < ENROLLMENTS; from += 2000) {
      StringBuilder csv = new StringBuilder("email,first_name,company\n");
      for (int i = from; i < Math.min(ENROLLMENTS, from + 2000); i++) {
        csv.append("c").append(i).append("@example.com,R").append(i).append(",Co ").append(i).append('\n');
      }
      ok(cli().run("sequence.add-recipients", "Two stages", "--file", Files.writeString(tmp.resolve("r" + from + ".csv"), csv).toString(), "--execute"));
    }
    ok(cli().run("replies.sync", "--execute"));
    String approval = approval();
    ok(approval == null ? cli().run("sequence.launch", "Two stages", "--execute") : cli().run("sequence.launch", "Two stages", "--approval", approval, "--execute"));

    Map<String, String> env = new HashMap<>();
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_NOW", MONDAY);
    long started = System.nanoTime();
    List<CommsProcess.Running> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      running.add(CommsProcess.comms(List.of("sequence.run", "--until", "+3d", "--limit", "200", "--output", "json")).env(env).start());
    }

    // Mid-run: the first REPLIES recipients whose first stage is in the log answer it.
    Path log = outbox.resolve("communications/communications-delivery-log.jsonl");
    Set<String> repliers = new LinkedHashSet<>();
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (repliers.size() < REPLIES && System.nanoTime() < deadline) {
      Thread.sleep(50);
      for (Map<String, Object> l : stageLines(log)) {
        if (((Number) l.get("stage")).intValue() == 1 && repliers.size() < REPLIES) {
          repliers.add((String) l.get("to"));
        }
      }
    }
    assertEquals(REPLIES, repliers.size(), "first stages appeared in the log");
    for (String to : repliers) {
      ok(new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("mail.simulate-inbound", "--from", to, "--to", OWNER, "--in-reply-to", "last",
          "--subject", "Re: Welcome", "--body", "Thanks, no more please", "--execute"));
    }
    ok(new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("replies.sync", "--execute"));
    List<Map<String, Object>> atReply = stageLines(log);
    long firstStagesAtReply = atReply.stream().filter(l -> ((Number) l.get("stage")).intValue() == 1).count();
    // With group commit a fast run may already have sent some repliers' second stage when they answer:
    // those went before the reply, which is allowed; every other replier's second stage must never go.
    Set<String> secondBeforeReply = new HashSet<>();
    for (Map<String, Object> l : atReply) {
      if (((Number) l.get("stage")).intValue() == 2) {
        secondBeforeReply.add((String) l.get("to"));
      }
    }
    long stillDue = repliers.stream().filter(r -> !secondBeforeReply.contains(r)).count();

    int sent = 0;
    List<String> problems = new ArrayList<>();
    for (CommsProcess.Running r : running) {
      CommsProcess.Result res = r.await(3600);
      if (res.exit() != 0) {
        problems.add("a worker exited " + res.exit() + ": " + res);
        continue;
      }
      for (String bad : List.of("database is locked", "SQLITE_BUSY", "stayed busy", "internal error")) {
        if (res.err().contains(bad)) {
          problems.add("a worker printed '" + bad + "'");
        }
      }
      sent += ((Number) Json.parseObject(res.out()).get("sent")).intValue();
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(List.of(), problems);

    Map<String, Integer> perSend = new HashMap<>();
    Set<String> keys = new HashSet<>();
    int repliedSecond = 0;
    List<Map<String, Object>> lines = stageLines(log);
    for (Map<String, Object> l : lines) {
      int stage = ((Number) l.get("stage")).intValue();
      perSend.merge(l.get("to") + "#" + stage, 1, Integer::sum);
      keys.add(String.valueOf(l.get("idempotency_key")));
      if (stage == 2 && repliers.contains(l.get("to")) && !secondBeforeReply.contains(l.get("to"))) {
        repliedSecond++;
      }
    }
    long twice = perSend.values().stream().filter(n -> n > 1).count();
    long expected = 2L * ENROLLMENTS - stillDue;
    assertTrue(stillDue > 0, "some replies landed before their second stage was sent (else the run proves nothing about stopping)");
    assertEquals(0, twice, "no (recipient, stage) twice");
    assertEquals(0, repliedSecond, "no second stage to someone who replied");
    assertEquals(expected, perSend.size(), "every (recipient, stage) due was sent (none lost)");
    assertEquals(expected, lines.size());
    assertEquals(expected, keys.size());
    assertEquals(expected, sent, "the workers together report each send once");
    ok(new CliRun(outbox).run("delivery.log", "--verify"));
    Map<String, Object> show = Json.parseObject(ok(new CliRun(outbox).env("COMMS_NOW", "2026-12-10T15:00:00Z").run("sequence.show", "Two stages", "--output", "json")).out());
    Map<?, ?> counts = (Map<?, ?>) show.get("counts");
    // A replier whose second stage went before the reply completed, unless the reply was recorded between
    // that send and its done mark (then it ends as replied, with both stages sent): every enrollment ended one way.
    long completed = ((Number) counts.get("completed")).longValue();
    long replied = ((Number) counts.get("replied")).longValue();
    assertEquals(ENROLLMENTS, completed + replied, show::toString);
    assertTrue(replied >= stillDue && replied <= REPLIES, show::toString);
    FaultsSummary.line("sequence concurrency (SQLite): " + WORKERS + " sequence.run processes x " + ENROLLMENTS + " enrollments of a two-stage sequence: " + lines.size()
        + " stage sends (expected " + expected + "), 0 twice, 0 lost, 0 'database is locked'; " + REPLIES + " replies synced while " + firstStagesAtReply + " of "
        + ENROLLMENTS + " first stages had gone: 0 second stages to them, all " + REPLIES + " 'replied'; chain valid; " + tookMs + " ms");
  }

  /** A single-use token from an admin other than the owner (1,001+ recipients), else the confirm gate's or none. */
  private String approval() {
    if (ENROLLMENTS > 1000) {
      String out = ok(cli().run("approval.issue", "Two stages", "--as", "sam@lakesideprint.com", "--execute", "--output", "json")).out();
      return "token:" + Json.parseObject(out).get("token");
    }
    if (ENROLLMENTS > 500) {
      String out = ok(cli().run("approval.request", "Two stages", "--kind", "multipov", "--execute", "--output", "json")).out();
      ok(cli().run("approval.confirm", "Two stages", "--as", "sam@lakesideprint.com", "--execute"));
      ok(cli().run("operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee Chen", "--execute"));
      ok(cli().run("approval.confirm", "Two stages", "--as", "lee@lakesideprint.com", "--execute"));
      return "multipov:" + Json.parseObject(out).get("approval_id");
    }
    if (ENROLLMENTS > 50) {
      ok(cli().run("approval.confirm", "Two stages", "--as", "sam@lakesideprint.com", "--execute"));
      return "confirm:sam@lakesideprint.com";
    }
    return null;
  }

  /** The stage-send lines of the log (a torn last line while a worker appends is skipped). */
  private static List<Map<String, Object>> stageLines(Path log) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    for (String line : Files.readAllLines(log)) {
      try {
        Map<String, Object> l = Json.parseObject(line);
        if (l.get("sequence_id") != null && List.of("sent", "simulated").contains(l.get("status"))) {
          out.add(l);
        }
      } catch (RuntimeException torn) {
        // the line being written
      }
    }
    return out;
  }
}
