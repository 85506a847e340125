package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 1: after any kill of send.execute, nothing recorded is lost, torn for good, partial or sent twice. */
@Tag("faults")
class CrashTest {
  @TempDir Path tmp;

  @Test
  void everyKillIsFoundWholeAndReconciledByTheNextRun() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    CrashHarness.Figures f = new CrashHarness(tmp, seed).run(FaultsScale.CRASH_RANDOM_KILLS);
    FaultsSummary.line(f.summary() + " (seed " + seed + ")");
    FaultsSummary.table("crash-table.md", f.table());
    assertTrue(f.problems.isEmpty(), () -> "seed " + seed + ":\n" + String.join("\n\n", f.problems));
    assertEquals(0, f.lost);
    assertEquals(0, f.duplicated);
    assertEquals(0, f.tornAfterRecovery);
    assertEquals(0, f.partialDocuments);
    assertEquals(0, f.chainBreaks);
    assertEquals(0, f.doneWithoutAudit);
    int points = 0;
    for (Lane.Mode m : Lane.Mode.values()) {
      points += CrashHarness.pointsFor(m).size();
    }
    assertEquals(points, f.faultPointKills, "every chosen fault point was reached");
  }
}
