package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.delivery.TransactionalSend;
import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, crashes: `sequence.run` killed at every named fault point of a stage send and at random
 * moments, over two multi-stage sequences on one outbox, one of them stopped half way. After
 * recovery every (recipient, stage) is in the delivery log as sent exactly once (never twice, none
 * lost), nothing of the stopped sequence is sent after its stop, and the log's chain verifies.
 * {@code -Dfaults.scale=full} (bench/faults) kills 200 times at random.
 */
@Tag("faults")
class SequenceCrashTest {
  static final Instant MONDAY = Instant.parse("2026-12-07T15:00:00Z");
  /** At full size more recipients, so the random kills keep landing while stage sends are still due. */
  static final int RECIPIENTS = Integer.getInteger("faults.sequence.recipients", FaultsScale.FULL ? 200 : 30);
  static final int STOPPED_RECIPIENTS = 10;
  static final int RANDOM_KILLS = Integer.getInteger("faults.sequence.random", FaultsScale.FULL ? 200 : 8);

  /**
   * The fault points a simulated stage send passes, in order: send.execute's, less the provider's and
   * the transaction-last artifact's atomic rename (stage sends do not write it).
   */
  static final List<String> POINTS =
      List.of(
          TransactionalSend.FAULT_AFTER_CLAIM,
          TransactionalSend.FAULT_AFTER_DISPATCH,
          DeliveryJournal.FAULT_LOCKED,
          DeliveryJournal.FAULT_HALF_WRITTEN,
          DeliveryJournal.FAULT_BEFORE_FORCE,
          TransactionalSend.FAULT_AFTER_LOG,
          TransactionalSend.FAULT_AFTER_DONE);

  @TempDir Path tmp;

  private Path outbox;
  private Instant now = MONDAY;

  @Test
  void killedWorkersSendEachStageOnceAndNothingAfterAStop() throws Exception {
    outbox = tmp.resolve("outbox");
    Path samples = CliRun.SAMPLE_BINDINGS.resolveSibling("examples").resolve("sequences");
    Path welcome = samples.resolve("welcome.sequence.yaml");
    Path later = Files.writeString(tmp.resolve("later.sequence.yaml"), Files.readString(welcome).replace("name: Welcome", "name: Welcome later"));
    ok(cli().run("sequence.create", "--file", welcome.toString(), "--execute"));
    ok(cli().run("sequence.create", "--file", later.toString(), "--execute"));
    ok(cli().run("sequence.add-recipients", "Welcome", "--file", recipients("w", RECIPIENTS).toString(), "--execute"));
    ok(cli().run("sequence.add-recipients", "Welcome later", "--file", recipients("l", STOPPED_RECIPIENTS).toString(), "--execute"));
    // A multi-stage sequence launches only while its owner's reply watch is healthy.
    ok(cli().run("replies.sync", "--execute"));
    // The one to be stopped launches first, so the first kills fall on its sends.
    ok(cli().run("sequence.launch", "Welcome later", "--execute"));
    later();
    if (RECIPIENTS > 50) {
      // 51–500 recipients: the confirm gate, cited from another operator's confirmation.
      ok(cli().run("approval.confirm", "Welcome", "--as", "sam@lakesideprint.com", "--execute"));
      ok(cli().run("sequence.launch", "Welcome", "--approval", "confirm:sam@lakesideprint.com", "--execute"));
    } else {
      ok(cli().run("sequence.launch", "Welcome", "--execute"));
    }
    ok(cli().run("operators.update", "--email", "dana@lakesideprint.com", "--per-minute-cap", "1000", "--execute"));

    // Killed at each named point, with a few sends due: the process halts there (exit 137). The
    // worker commits its sends in groups, so a kill strands the whole group; the run after each kill
    // recovers it, and the next point is met on fresh sends.
    List<String> notReached = new ArrayList<>();
    for (String point : POINTS) {
      CommsProcess.Result r = worker(List.of("sequence.run", "--once", "--limit", "3")).env("COMMS_FAULT", point).run();
      if (r.exit() != 137) {
        assertEquals(0, r.exit(), point + ": " + r);
        notReached.add(point);
      }
      later();
      CommsProcess.Result recovered = worker(List.of("sequence.run", "--once", "--limit", "3")).run();
      assertEquals(0, recovered.exit(), point + ", the run after: " + recovered);
      later();
    }
    assertEquals(List.of(), notReached, "a stage send passes every fault point");

    // The second sequence is stopped with most of its recipients still due: nothing of it after this.
    CliRun.Result show = cli().run("sequence.show", "Welcome later", "--output", "json");
    ok(show);
    long version = ((Number) Json.parseObject(show.out()).get("state_version")).longValue();
    ok(cli().run("sequence.stop", "Welcome later", "--state-version", Long.toString(version), "--execute"));
    Instant stoppedAt = now;
    later();

    // SIGKILLed at random moments of a run that would go on for weeks of replayed time.
    Random random = new Random(23);
    // A run that finished before its moment came is not a kill: go on until RANDOM_KILLS have landed.
    int killed = 0;
    int runs = 0;
    List<Integer> linesAtKill = new ArrayList<>();
    Path log = outbox.resolve("communications/communications-delivery-log.jsonl");
    for (; killed < RANDOM_KILLS && runs < 6 * RANDOM_KILLS; runs++) {
      CommsProcess.Running run = worker(List.of("sequence.run", "--until", "+10d")).start();
      // Group commit makes a run short: most moments fall inside the JVM start or the first batches.
      Thread.sleep(100 + random.nextInt(700));
      CommsProcess.Result r = run.alive() ? run.kill() : run.await(60);
      if (r.killed()) {
        killed++;
        linesAtKill.add(Files.exists(log) ? Files.readAllLines(log).size() : 0);
      } else {
        assertEquals(0, r.exit(), r::toString);
      }
      later();
    }

    // Recovery: one run to the end.
    CommsProcess.Result last = worker(List.of("sequence.run", "--until", "+20d", "--output", "json")).run();
    assertEquals(0, last.exit(), last::toString);

    Map<String, Integer> successes = new LinkedHashMap<>();
    int stoppedSent = 0;
    for (String line : Files.readAllLines(outbox.resolve("communications/communications-delivery-log.jsonl"))) {
      Map<String, Object> l = Json.parseObject(line);
      if (!List.of("sent", "simulated").contains(l.get("status")) || l.get("sequence_id") == null) {
        continue;
      }
      successes.merge(String.valueOf(l.get("idempotency_key")), 1, Integer::sum);
      if (String.valueOf(l.get("to")).startsWith("l")) {
        Instant at = Instant.parse(String.valueOf(l.get("time")));
        assertTrue(!at.isAfter(stoppedAt), "a stage of the stopped sequence was sent after the stop: " + line);
        stoppedSent++;
      }
    }
    successes.forEach((key, n) -> assertEquals(1, n, "sent more than once: " + key));
    assertTrue(stoppedSent > 0 && stoppedSent <= STOPPED_RECIPIENTS, "the stopped sequence sent some first stages before its stop, no second: " + stoppedSent);
    assertEquals(2L * RECIPIENTS, successes.size() - stoppedSent, "every recipient of the running sequence got both email stages (none lost)");

    CliRun.Result verify = new CliRun(outbox).run("delivery.log", "--verify");
    assertEquals(0, verify.exit(), verify::toString);
    CliRun.Result shown = cli().run("sequence.show", "Welcome", "--output", "json");
    Map<String, Object> s = Json.parseObject(shown.out());
    assertEquals("completed", s.get("state"), shown::toString);
    assertEquals((long) RECIPIENTS, ((Map<?, ?>) s.get("counts")).get("completed"), shown::toString);
    assertEquals(RANDOM_KILLS, killed, "random SIGKILLs that landed in " + runs + " runs");
    int finalLines = Files.readAllLines(log).size();
    long whileDue = linesAtKill.stream().filter(n -> n < finalLines).count();
    FaultsSummary.line("sequence crash: " + (POINTS.size() - notReached.size()) + " fault-point kills, " + killed + " random SIGKILLs of sequence.run in " + runs + " runs ("
        + whileDue + " of them with stage sends still to go), two multi-stage sequences, " + (RECIPIENTS + STOPPED_RECIPIENTS) + " recipients, one stopped half way: "
        + successes.size() + " stage sends, each (recipient, stage) exactly once, 0 lost, 0 after the stop, chain valid");
  }

  private CliRun cli() {
    return new CliRun(outbox).env("COMMS_NOW", now.toString()).stdin("yes\n");
  }

  private CommsProcess worker(List<String> args) {
    Map<String, String> env = new HashMap<>();
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_NOW", now.toString());
    return CommsProcess.comms(args).env(env);
  }

  /** Past the claim a killed worker left (five minutes), still inside Monday's window. */
  private void later() {
    now = now.plus(Duration.ofMinutes(6));
  }

  private Path recipients(String prefix, int n) throws Exception {
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (int i = 0; i < n; i++) {
      csv.append(prefix).append(i).append("@example.com,R").append(i).append(",Co ").append(i).append('\n');
    }
    return Files.writeString(tmp.resolve(prefix + ".csv"), csv);
  }

  private static void ok(CliRun.Result r) {
    assertEquals(0, r.exit(), r::toString);
  }
}
