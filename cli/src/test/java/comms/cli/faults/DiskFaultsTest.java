package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 6: an outbox that cannot be written stops the send before anything reaches the provider. */
@Tag("faults")
class DiskFaultsTest {
  @TempDir Path tmp;

  @Test
  void anUnwritableOutboxFailsLoudlyBeforeDispatch() throws Exception {
    DiskFaults.Figures f = new DiskFaults(tmp).run();
    FaultsSummary.line(f.summary());
    assertTrue(f.problems.isEmpty(), () -> String.join("\n\n", f.problems));
    assertEquals(0, f.requestsReached);
    assertEquals(f.situations, f.refusedBeforeDispatch);
    assertTrue(f.situations >= 4, "at least the situations every machine can make");
  }
}
