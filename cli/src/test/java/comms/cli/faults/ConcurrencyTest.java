package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 2: processes sending at once on one outbox lose nothing, interleave nothing, send nothing twice, and never pass an operator's cap. */
@Tag("faults")
class ConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void processesExecutingAtOnceLeaveExactlyOneWholeLineEach() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    ConcurrencyHarness h = new ConcurrencyHarness(tmp, seed);
    ConcurrencyHarness.Figures f = h.run(FaultsScale.CONCURRENCY_PROCESSES, FaultsScale.CONCURRENCY_EXECUTES);
    FaultsSummary.line(f.summary() + " (seed " + seed + ")");
    System.out.println("phases after go (ms): " + h.phaseMillis);
    assertTrue(f.problems.isEmpty(), () -> "seed " + seed + ":\n" + String.join("\n", f.problems));
    assertEquals(f.expectedLines, f.lines);
    assertTrue(f.chainOk);
    assertEquals(0, f.malformed);
    assertEquals(0, f.lockErrors);
    assertEquals(0, f.keysNotOnce);
    assertEquals(0, f.contendedSentTwice);
    assertEquals(0, f.overCap);
    assertEquals(0, f.capsUnder);
    assertTrue(f.capRefusals > 0, "the capped phase tried more than the caps allow");
  }
}
