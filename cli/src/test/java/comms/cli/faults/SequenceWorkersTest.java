package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several `sequence.run` processes on one outbox at once send each (recipient, stage) exactly once. */
@Tag("faults")
class SequenceWorkersTest {
  static final String MONDAY = "2026-12-07T15:00:00Z";
  static final int RECIPIENTS = 400;
  static final int WORKERS = 3;

  @TempDir Path tmp;

  @Test
  void threeWorkerProcessesSendEveryStageOnce() throws Exception {
    Path outbox = tmp.resolve("outbox");
    CliRun cli = new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n");
    Path samples = CliRun.SAMPLE_BINDINGS.resolveSibling("examples").resolve("sequences");
    assertEquals(0, cli.run("sequence.create", "--file", samples.resolve("welcome.sequence.yaml").toString(), "--execute").exit());
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (int i = 0; i < RECIPIENTS; i++) {
      csv.append("r").append(i).append("@example.com,R").append(i).append(",Co ").append(i).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("r.csv"), csv);
    assertEquals(0, new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("sequence.add-recipients", "Welcome", "--file", file.toString(), "--execute").exit());
    // 400 recipients need a confirmation by another operator; the caps must let them all go.
    assertEquals(0, new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("approval.confirm", "Welcome", "--as", "sam@lakesideprint.com", "--execute").exit());
    assertEquals(0, new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("replies.sync", "--execute").exit(), "a multi-stage launch needs the reply watch");
    assertEquals(4, new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("sequence.launch", "Welcome", "--execute").exit(), "without the citation the gate refuses");
    CliRun.Result launched =
        new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("sequence.launch", "Welcome", "--approval", "confirm:sam@lakesideprint.com", "--execute");
    assertEquals(0, launched.exit(), launched::toString);
    assertEquals(0, new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n").run("operators.update", "--email", "dana@lakesideprint.com", "--per-minute-cap", "1000", "--execute").exit());

    Map<String, String> env = new HashMap<>();
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_NOW", MONDAY);
    List<CommsProcess.Running> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      running.add(CommsProcess.comms(List.of("sequence.run", "--until", "+10d", "--limit", "150", "--output", "json")).env(env).start());
    }
    int sent = 0;
    for (CommsProcess.Running r : running) {
      CommsProcess.Result res = r.await(180);
      assertEquals(0, res.exit(), res::toString);
      sent += ((Number) Json.parseObject(res.out()).get("sent")).intValue();
    }
    // Two email stages each; the text stage is skipped, nobody has a number.
    assertEquals(2 * RECIPIENTS, sent, "the workers together sent each stage once");
    List<String> lines = Files.readAllLines(outbox.resolve("communications/communications-delivery-log.jsonl"));
    assertEquals(2 * RECIPIENTS, lines.size());
    assertEquals(lines.size(), lines.stream().map(l -> Json.parseObject(l).get("idempotency_key")).distinct().count(), "no key twice in the log");
    CliRun.Result verify = new CliRun(outbox).run("delivery.log", "--verify");
    assertEquals(0, verify.exit(), verify::toString);
    CliRun.Result show = new CliRun(outbox).env("COMMS_NOW", MONDAY).run("sequence.show", "Welcome", "--output", "json");
    assertEquals("completed", Json.parseObject(show.out()).get("state"), show::toString);
    assertTrue(((Map<?, ?>) Json.parseObject(show.out()).get("counts")).get("completed").equals((long) RECIPIENTS));
  }
}
