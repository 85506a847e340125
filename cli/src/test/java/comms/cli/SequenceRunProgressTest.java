package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sequence.run tells its progress and its summary on stderr, bar or lines, and stdout is the same JSON either way. */
class SequenceRunProgressTest {
  static final Path SAMPLES = SequenceCommandsTest.SAMPLES;

  @TempDir Path tmp;

  CliRun cli(String outbox) {
    return new CliRun(tmp.resolve(outbox)).env("COMMS_NOW", SequenceCommandsTest.MONDAY);
  }

  /** The sample sequence, its recipients added and launched, in {@code outbox}. */
  void launched(String outbox) {
    CliRun.Result c = cli(outbox).stdin("yes\n").run("sequence.create", "--file", SAMPLES.resolve("welcome.sequence.yaml").toString(), "--execute", "--output", "json");
    String id = (String) ((Map<?, ?>) Json.parse(c.out())).get("id");
    assertEquals(0, cli(outbox).stdin("yes\n").run("sequence.add-recipients", id, "--file", SAMPLES.resolve("welcome.recipients.csv").toString(), "--execute").exit());
    assertEquals(0, cli(outbox).stdin("yes\n").run("replies.sync", "--execute").exit());
    assertEquals(0, cli(outbox).stdin("yes\n").run("sequence.launch", id, "--execute").exit());
  }

  /** The run's JSON without what differs between two outboxes (ids, the sequence ids). */
  static Map<String, Object> shape(String out) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out);
    m.remove("completed_sequences");
    for (Object x : (java.util.List<?>) m.get("problems")) {
      ((Map<?, ?>) x).remove("sequence_id");
      ((Map<?, ?>) x).remove("enrollment_id");
    }
    return m;
  }

  @Test
  void linesAndABarGiveTheSameStdoutAndEndWithTheSummary() {
    launched("a");
    launched("b");
    CliRun.Result lines = cli("a").env("COMMS_PROGRESS", "lines").run("sequence.run", "--until", "+21d", "--output", "json");
    CliRun.Result bar = cli("b").env("COMMS_PROGRESS", "bar").run("sequence.run", "--until", "+21d", "--output", "json");
    assertEquals(0, lines.exit(), lines::toString);
    assertEquals(0, bar.exit(), bar::toString);
    assertEquals(shape(lines.out()), shape(bar.out()), "progress never reaches stdout");
    String summary = "sequence.run: done: 12 sent, 0 deferred, 3 skipped, 0 failed, 3 blocked by a gate";
    assertTrue(lines.err().lines().anyMatch(l -> l.startsWith(summary)), lines.err());
    assertTrue(lines.err().contains("sequence.run: pass 1 at 2026-12-07T15:00:00Z: 6 sent"), "plain lines, one a pass: " + lines.err());
    assertTrue(bar.err().contains("\rsequence.run ["), "a bar redrawn in place: " + bar.err());
    assertTrue(bar.err().lines().reduce((x, y) -> y).orElse("").contains(summary), "the summary is the last line: " + bar.err());
  }

  @Test
  void anUnknownProgressModeIsAUsageErrorBeforeAnythingRuns() {
    launched("a");
    CliRun.Result r = cli("a").env("COMMS_PROGRESS", "fancy").run("sequence.run");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("COMMS_PROGRESS='fancy' is not known; use bar, lines or off"), r.err());
    assertEquals(0L, ((Map<?, ?>) Json.parse(cli("a").run("delivery.log", "--output", "json").out())).get("entries") instanceof java.util.List<?> l ? (long) l.size() : -1L);
  }
}
