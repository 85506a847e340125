package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The outbox layout DESIGN.md promises, and run keys that cannot leave the receipts folder. */
class OutboxPathsTest {
  final OutboxPaths o = new OutboxPaths(Path.of("/srv/outbox"));

  @Test
  void stablePaths() {
    assertEquals(Path.of("/srv/outbox/communications/communications-send-test-last.yaml"), o.sendTestLast());
    assertEquals(Path.of("/srv/outbox/communications/communications-transaction-last.yaml"), o.transactionLast());
    assertEquals(Path.of("/srv/outbox/communications/communications-delivery-log.jsonl"), o.deliveryLog());
    assertEquals(Path.of("/srv/outbox/receipts/send-execute-20260301T100000Z-3f2a.yaml"), o.receipt("send-execute-20260301T100000Z-3f2a"));
    assertEquals(Path.of("/srv/outbox/state/comms.db"), o.store());
  }

  @Test
  void runKeysCannotTraverse() {
    for (String bad : new String[] {"../etc/passwd", "a/b", "a\\b", "", ".hidden", "a..b", "..", "x".repeat(129), "sp ace", "nul\0"}) {
      assertFalse(OutboxPaths.isRunKey(bad), bad);
      CommsException e = assertThrows(CommsException.class, () -> o.receipt(bad), bad);
      assertEquals(ExitCode.USAGE, e.exitCode());
    }
    assertFalse(OutboxPaths.isRunKey(null));
    assertTrue(OutboxPaths.isRunKey("run_1.2-3"));
    assertTrue(o.receipt("x".repeat(128)).startsWith(o.receipts()));
  }
}
