package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 5: no sentinel secret in anything printed or written, on success or failure. */
@Tag("faults")
class SecretsTest {
  @TempDir Path tmp;

  @Test
  void noSecretInOutputFilesReceiptsOrLogLines() throws Exception {
    SecretsSweep.Figures f = new SecretsSweep(tmp).run();
    FaultsSummary.line(f.summary());
    assertTrue(f.problems.isEmpty(), () -> String.join("\n\n", f.problems));
    assertEquals(0, f.leaks);
    assertEquals(0, f.recipientsInAudit);
    assertTrue(f.auditRows >= 8 && f.recipientsSearched >= 8, () -> "the sweep searched the audit log: " + f.summary());
    assertTrue(f.filesSearched >= 5, "the sweep searched the outbox");
  }
}
