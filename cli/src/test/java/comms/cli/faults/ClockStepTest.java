package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, clock: {@code sequence.run --once} passes under a clock that steps back (an NTP
 * correction), jumps forward and back, and crosses both daylight-saving transitions of the
 * sequence's zone (America/New_York: 2026-11-01 falls back, 2027-03-14 springs forward), each pass
 * a COMMS_NOW reading. Whatever the readings, nothing goes early and nothing twice: every stage send
 * is logged at the clock reading of its pass, inside the 08:00–20:00 window in New York time (so a
 * worker that judged the window by last week's UTC offset would be caught sending at 07:00), at
 * least its stage's delay after the stage before it, each (recipient, stage) once; and once the clock
 * has run on, every stage was sent (none lost to a step back).
 */
@Tag("faults")
class ClockStepTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final int RECIPIENTS = 12;
  /** Stage delays: 0, 12 h (lands at night, so it waits for the next morning's window), 1 d. */
  static final List<Duration> DELAYS = List.of(Duration.ZERO, Duration.ofHours(12), Duration.ofDays(1));

  @TempDir Path tmp;

  Path outbox;

  CliRun cli(String now) {
    return new CliRun(outbox).env("COMMS_NOW", now).stdin("yes\n");
  }

  void ok(CliRun.Result r) {
    assertEquals(0, r.exit(), r::toString);
  }

  /** One sequence launched at {@code launch}, its recipients prefixed {@code prefix}. */
  void launch(String name, String prefix, String launch) throws Exception {
    Path file = Files.writeString(tmp.resolve(prefix + ".sequence.yaml"), """
        version: 1
        name: %s
        zone: America/New_York
        window: { start: "08:00", end: "20:00" }
        stages:
          - { medium: email, delay: "0", trigger: always, template: welcome_intro.email }
          - { medium: email, delay: 12h, trigger: no_reply, template: welcome_followup.email }
          - { medium: email, delay: 1d, trigger: no_reply, template: welcome_followup.email }
        """.formatted(name));
    ok(cli(launch).run("sequence.create", "--file", file.toString(), "--execute"));
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (int i = 0; i < RECIPIENTS; i++) {
      csv.append(prefix).append(i).append("@example.com,R").append(i).append(",Co ").append(i).append('\n');
    }
    ok(cli(launch).run("sequence.add-recipients", name, "--file", Files.writeString(tmp.resolve(prefix + ".csv"), csv).toString(), "--execute"));
    ok(cli(launch).run("replies.sync", "--execute"));
    ok(cli(launch).run("sequence.launch", name, "--execute"));
  }

  @Test
  void steppedBackForwardAndAcrossDaylightSavingNothingGoesEarlyOrTwice() throws Exception {
    outbox = tmp.resolve("outbox");
    ok(cli("2026-10-31T14:00:00Z").run("operators.update", "--email", "dana@lakesideprint.com", "--per-minute-cap", "1000", "--execute"));
    // Saturday 31 October 2026, 11:00 EDT (UTC-4); the night of 1 November falls back to EST (UTC-5).
    launch("Fall back", "f", "2026-10-31T15:00:00Z");
    List<String> steps = new ArrayList<>(List.of(
        "2026-10-31T15:00:00Z", // stage 1 due: sent
        "2026-10-31T13:00:00Z", // NTP steps the clock back two hours: nothing again
        "2026-10-31T15:30:00Z",
        "2026-10-31T18:00:00Z",
        "2026-11-01T03:00:00Z", // stage 2 due (Sat 23:00 EDT): outside the window, waits
        "2026-11-01T05:30:00Z", // 01:30 EDT, the first of the two 01:30s
        "2026-11-01T06:30:00Z", // 01:30 EST, the second
        "2026-11-01T04:00:00Z", // stepped back over the repeated hour
        "2026-11-01T12:00:00Z", // 07:00 EST (08:00 by last week's offset): still closed
        "2026-11-01T12:59:00Z", // 07:59 EST: closed
        "2026-11-01T13:00:00Z", // 08:00 EST: stage 2 goes
        "2026-11-01T09:00:00Z", // stepped back four hours: nothing twice
        "2026-11-01T13:05:00Z",
        "2026-11-02T12:00:00Z", // stage 3 due 13:00Z; an hour early by the clock
        "2026-11-02T16:00:00Z", // forward jump: stage 3 goes at this reading
        "2026-11-02T11:00:00Z", // and back: nothing again
        "2026-11-02T16:30:00Z",
        "2026-11-05T15:00:00Z"));
    List<Map<String, Object>> passes = new ArrayList<>();
    run(steps, passes);
    // Saturday 13 March 2027, 11:00 EST (UTC-5); the night of 14 March springs forward to EDT (UTC-4).
    launch("Spring forward", "s", "2027-03-13T16:00:00Z");
    List<String> spring = List.of(
        "2027-03-13T16:00:00Z",
        "2027-03-13T15:00:00Z",
        "2027-03-14T04:00:00Z", // stage 2 due (Sat 23:00 EST): waits
        "2027-03-14T06:30:00Z", // 01:30 EST
        "2027-03-14T07:30:00Z", // 03:30 EDT (02:00–03:00 does not exist)
        "2027-03-14T11:59:00Z", // 07:59 EDT: closed
        "2027-03-14T12:00:00Z", // 08:00 EDT (07:00 by last week's offset): stage 2 goes
        "2027-03-14T10:00:00Z",
        "2027-03-15T11:00:00Z",
        "2027-03-15T12:00:00Z", // stage 3 due: 08:00 EDT
        "2027-03-15T08:00:00Z",
        "2027-03-18T15:00:00Z");
    run(spring, passes);

    // Every stage send of the log, by recipient.
    Map<String, List<Map<String, Object>>> byRecipient = new HashMap<>();
    for (String line : Files.readAllLines(outbox.resolve("communications/communications-delivery-log.jsonl"))) {
      Map<String, Object> l = Json.parseObject(line);
      if (l.get("sequence_id") != null) {
        assertTrue(List.of("sent", "simulated").contains(l.get("status")), () -> "a stage send that did not go: " + line);
        byRecipient.computeIfAbsent(String.valueOf(l.get("to")), k -> new ArrayList<>()).add(l);
      }
    }
    assertEquals(2 * RECIPIENTS, byRecipient.size(), "every recipient of both sequences was written to");
    int checked = 0;
    for (Map.Entry<String, List<Map<String, Object>>> e : byRecipient.entrySet()) {
      List<Map<String, Object>> sends = e.getValue();
      assertEquals(3, sends.size(), () -> e.getKey() + " got " + sends.size() + " stage sends, not 3 (none twice, none lost): " + sends);
      Instant previous = null;
      for (int n = 1; n <= 3; n++) {
        Map<String, Object> s = sends.get(n - 1);
        assertEquals(n, ((Number) s.get("stage")).intValue(), () -> e.getKey() + ": stages out of order: " + sends);
        Instant at = Instant.parse((String) s.get("time"));
        LocalTime local = at.atZone(NEW_YORK).toLocalTime();
        assertTrue(!local.isBefore(LocalTime.of(8, 0)) && local.isBefore(LocalTime.of(20, 0)),
            () -> e.getKey() + " stage " + s.get("stage") + " went at " + at + " = " + local + " New York time, outside 08:00–20:00");
        if (previous != null) {
          Instant due = previous.plus(DELAYS.get(n - 1));
          assertTrue(!at.isBefore(due), () -> e.getKey() + " stage " + s.get("stage") + " went at " + at + ", before it was due at " + due);
        }
        previous = at;
        checked++;
      }
    }
    // The passes that had to send nothing did not: each send is logged at a reading no earlier than its due time above,
    // and the readings that are only early by the wrong UTC offset sent nothing.
    for (Map<String, Object> p : passes) {
      String at = (String) p.get("at");
      if (List.of("2026-11-01T12:00:00Z", "2026-11-01T12:59:00Z", "2026-11-02T12:00:00Z", "2027-03-14T11:59:00Z").contains(at)) {
        assertEquals(0, ((Number) p.get("sent")).intValue(), () -> "the pass at " + at + " sent early: " + p);
      }
      if (List.of("2026-11-01T13:00:00Z", "2027-03-14T12:00:00Z").contains(at)) {
        assertEquals(RECIPIENTS, ((Number) p.get("sent")).intValue(), () -> "the window opened at " + at + ": " + p);
      }
    }
    CliRun.Result verify = new CliRun(outbox).run("delivery.log", "--verify");
    assertEquals(0, verify.exit(), verify::toString);
    int back = 0;
    for (int i = 1; i < passes.size(); i++) {
      back += Instant.parse((String) passes.get(i).get("at")).isBefore(Instant.parse((String) passes.get(i - 1).get("at"))) ? 1 : 0;
    }
    FaultsSummary.line("clock: " + passes.size() + " sequence.run passes under a clock stepped back " + back + " times (up to 5 h), jumped forward and back, across both DST transitions of America/New_York: "
        + checked + " stage sends, 0 early (all inside 08:00–20:00 New York time and at least their delay after the stage before), 0 twice, 0 lost");
  }

  private void run(List<String> steps, List<Map<String, Object>> passes) {
    for (String now : steps) {
      CliRun.Result r = cli(now).run("sequence.run", "--once", "--limit", "1000", "--output", "json");
      assertEquals(0, r.exit(), () -> "the pass at " + now + ": " + r);
      Map<String, Object> m = new HashMap<>(Json.parseObject(r.out()));
      m.put("at", now);
      passes.add(m);
    }
  }
}
