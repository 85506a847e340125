package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.SequencesContract;
import comms.core.outbox.DeliveryRecord;
import comms.core.policy.HolidayCalendar;
import comms.core.policy.SendWindow;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker under the real send window of New York (08:00–20:00, US holidays): the minute edges,
 * the day clocks fall back, and a holiday that pushes a stage with the later ones moving by the same
 * amount. Time is replayed (COMMS_NOW style): nothing waits on the real clock.
 */
class WorkerWindowTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final String DANA = SequenceFixture.DANA;

  @TempDir Path outbox;
  SequenceFixture f;

  @BeforeEach
  void open() {
    f = new SequenceFixture(outbox);
  }

  @AfterEach
  void close() {
    f.close();
  }

  static SendWindow window() {
    return new SendWindow(
        new SequencesContract.Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), EnumSet.allOf(DayOfWeek.class)), NY, HolidayCalendar.of("US", null, List.of()));
  }

  /** Email stages with these delays (the first after launch). */
  static SequencePlan emails(Duration... delays) {
    List<String> types = List.of("payment_needed", "order_ready", "proof_ready");
    List<SequencePlan.StagePlan> stages = new ArrayList<>();
    for (int i = 0; i < delays.length; i++) {
      stages.add(new SequencePlan.StagePlan("email", delays[i], "always", types.get(i) + ".email", types.get(i)));
    }
    return new SequencePlan(NY, LocalTime.of(8, 0), LocalTime.of(20, 0), "US", null, List.of(), stages);
  }

  SequenceRow launched(SequencePlan plan, String... emails) {
    SequenceRow seq = f.service().create(f.as(DANA), new SequenceService.Draft("Window", null, plan), f.audit(DANA));
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < emails.length; i++) {
      rows.add(SequenceLifeTest.row(i + 2, emails[i], null));
    }
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), seq.stateVersion(), null, SequenceService.Gate.NONE, f.audit(DANA));
    return seq;
  }

  WorkerRun.Totals replayUntil(Instant end) {
    return new WorkerRun(f.worker("w1", window()), EnrollmentStore.of(f.store), java.time.Clock.systemUTC(), f.clock, ms -> true, null)
        .run(new WorkerRun.Span(end, false), 1000);
  }

  List<Instant> sendTimes() {
    return f.log().stream().map(DeliveryRecord::time).sorted().toList();
  }

  @Test
  void at0759TheStageWaitsFor0800AndAt2000ForTheNextMorningWhile1959Goes() {
    Instant at0759 = Instant.parse("2026-12-07T12:59:00Z"); // Monday 07:59 EST
    f.clock.set(at0759);
    // Stage 2 falls 11h59m after 08:00, at 19:59; stage 3 one minute later, at 20:00.
    launched(emails(Duration.ZERO, Duration.ofMinutes(11 * 60 + 59), Duration.ofMinutes(1)), "ok@example.com");

    SequenceWorker.Summary early = f.worker("w1", window()).pass(100);
    assertEquals(0, early.sent(), "07:59 is outside the window");
    assertEquals("window", early.deferred().get(0).reason());
    assertEquals(Instant.parse("2026-12-07T13:00:00Z"), early.deferred().get(0).until(), "deferred to 08:00 New York");

    replayUntil(Instant.parse("2026-12-09T00:00:00Z"));
    assertEquals(
        List.of(Instant.parse("2026-12-07T13:00:00Z"), Instant.parse("2026-12-08T00:59:00Z"), Instant.parse("2026-12-08T13:00:00Z")),
        sendTimes(),
        "08:00 opens, 19:59 is still open, 20:00 is closed until 08:00 the next day");
  }

  @Test
  void onTheDayClocksFallBackTheWindowOpensAt0800StandardTimeAndLaterStagesMoveWithIt() {
    Instant saturday1930 = Instant.parse("2026-10-31T23:30:00Z"); // 19:30 EDT, the evening before fall-back
    f.clock.set(saturday1930);
    launched(emails(Duration.ZERO, Duration.ofHours(12), Duration.ofDays(1)), "ok@example.com");

    replayUntil(Instant.parse("2026-11-05T00:00:00Z"));

    // Stage 2 fell at 06:30 EST on Sunday (clocks went back at 02:00): it waits for 08:00 EST, which
    // is 13:00Z, not 12:00Z as it would be under daylight time; stage 3 follows a day after it.
    assertEquals(
        List.of(saturday1930, Instant.parse("2026-11-01T13:00:00Z"), Instant.parse("2026-11-02T13:00:00Z")), sendTimes());
  }

  @Test
  void aHolidayPushesEveryoneStageTwoAndNobodyGetsStagesCloserThanTheirDelay() {
    Instant monday = Instant.parse("2026-11-23T17:00:00Z"); // Monday noon, the week of Thanksgiving
    f.clock.set(monday);
    launched(emails(Duration.ZERO, Duration.ofDays(3), Duration.ofDays(4)), "a@example.com", "b@example.com", "c@example.com");

    WorkerRun.Totals t = replayUntil(monday.plus(Duration.ofDays(21)));

    assertEquals(9, t.sent(), t.toString());
    Map<String, List<Instant>> byRecipient =
        f.log().stream().collect(Collectors.groupingBy(DeliveryRecord::to, Collectors.mapping(DeliveryRecord::time, Collectors.toList())));
    Instant fridayEight = Instant.parse("2026-11-27T13:00:00Z");
    for (Map.Entry<String, List<Instant>> e : byRecipient.entrySet()) {
      List<Instant> times = e.getValue().stream().sorted().toList();
      assertEquals(List.of(monday, fridayEight, fridayEight.plus(Duration.ofDays(4))), times,
          e.getKey() + ": stage 2, due on Thanksgiving, went Friday 08:00; stage 3 four days after it, not four days after Thursday");
      assertTrue(Duration.between(times.get(1), times.get(2)).compareTo(Duration.ofDays(4)) >= 0, "no catching up: " + times);
    }
  }
}
