package comms.cli.commands.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.sequence.SequenceWorker;
import comms.core.sequence.WorkerClock;
import comms.core.sequence.WorkerRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sequence.run's stderr: a bar redrawn in place at a terminal, plain lines elsewhere, and the summary. */
class WorkerProgressTest {
  static final Instant T0 = Instant.parse("2026-12-07T15:00:00Z");

  final StringWriter text = new StringWriter();
  final WorkerClock clock = new WorkerClock(T0);

  WorkerProgress progress(WorkerProgress.Mode mode, Instant end) {
    return new WorkerProgress(new PrintWriter(text, true), mode, false, clock, end);
  }

  static WorkerRun.Totals totals() {
    return new WorkerRun.Totals(
        3, T0, T0.plus(Duration.ofDays(21)), 12,
        List.of(new SequenceWorker.Deferral("seq_1", "enr_1", 2, "window", T0), new SequenceWorker.Deferral("seq_1", "enr_2", 2, "window", T0),
            new SequenceWorker.Deferral("seq_1", "enr_3", 3, "holiday", T0)),
        4,
        List.of(new SequenceWorker.Problem("seq_1", "enr_4", 1, "dead_letter", "429"), new SequenceWorker.Problem("seq_1", "enr_5", 1, "blocked", "blocked:bulk_email")),
        0, List.of());
  }

  @Test
  void aLongPassPrintsALineEachTenthWhenNotAtATerminal() {
    WorkerProgress p = progress(WorkerProgress.Mode.lines, null);
    for (int i = 0; i <= 1000; i++) {
      p.tick(i, 1000);
    }
    List<String> lines = text.toString().lines().toList();
    assertEquals(11, lines.size(), text::toString);
    assertEquals("sequence.run: 1 of 1000 due stage sends handled", lines.get(0));
    assertEquals("sequence.run: 1000 of 1000 due stage sends handled", lines.get(10));
    assertFalse(text.toString().contains("\r"), "plain lines never redraw");
  }

  @Test
  void aShortPassSaysNothingUntilTheSummary() {
    WorkerProgress p = progress(WorkerProgress.Mode.lines, null);
    for (int i = 0; i <= 5; i++) {
      p.tick(i, 5);
    }
    assertEquals("", text.toString());
  }

  @Test
  void atATerminalOneBarIsRedrawnInPlaceAndClearedAtTheEnd() {
    WorkerProgress p = progress(WorkerProgress.Mode.bar, null);
    for (int i = 0; i <= 400; i++) {
      p.tick(i, 400);
    }
    String s = text.toString();
    assertFalse(s.contains("\n"), "a bar is one line redrawn with carriage returns: " + s);
    assertEquals(101 + 2, s.chars().filter(c -> c == '\r').count(), "one redraw per percent (0 to 100), then two to wipe it");
    assertTrue(s.contains("sequence.run [===============>              ]  50% 200/400 due stage sends"), s);
    assertTrue(s.endsWith("\r"), "the bar is wiped when the pass is through");
  }

  @Test
  void anUntilRunAtATerminalShowsHowMuchOfItsSpanHasPassed() {
    WorkerProgress p = progress(WorkerProgress.Mode.bar, T0.plus(Duration.ofDays(20)));
    clock.set(T0.plus(Duration.ofDays(5)));
    p.pass("pass 1 at …: 3 sent");
    assertTrue(text.toString().contains(" 25% at 2026-12-12T15:00:00Z, pass 1"), text::toString);
    p.line("resend: attempt 1 of 5 failed (429), next try in 1 second");
    assertTrue(text.toString().contains("\rsequence.run: resend: attempt 1 of 5 failed (429), next try in 1 second\n"), "a note clears the bar first: " + text);
  }

  @Test
  void theSummaryCountsSentDeferredByReasonSkippedFailedAndBlocked() {
    WorkerProgress p = progress(WorkerProgress.Mode.lines, null);
    p.summary(totals());
    assertEquals(
        "sequence.run: done: 12 sent, 3 deferred (holiday 1, window 2), 4 skipped, 1 failed, 1 blocked by a gate (3 passes)\n", text.toString());
  }

  @Test
  void offKeepsQuietButTheSummaryStays() {
    WorkerProgress p = progress(WorkerProgress.Mode.off, T0.plus(Duration.ofDays(1)));
    for (int i = 0; i <= 300; i++) {
      p.tick(i, 300);
    }
    p.pass("pass 1");
    p.line("a note");
    assertEquals("", text.toString());
    p.summary(totals());
    assertTrue(text.toString().startsWith("sequence.run: done: 12 sent"), text::toString);
  }
}
