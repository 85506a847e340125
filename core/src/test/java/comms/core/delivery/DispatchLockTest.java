package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock held while one idempotency key is dispatched: one holder per key, free again once closed. */
class DispatchLockTest {
  @TempDir Path tmp;

  @Test
  void oneHolderPerKeyAndFreeAgainWhenClosed() {
    Path dir = tmp.resolve("state/in-flight");
    Optional<DispatchLock> first = DispatchLock.tryAcquire(dir, "key-1");
    assertTrue(first.isPresent(), "the folder is created and the lock taken");
    assertEquals(Optional.empty(), DispatchLock.tryAcquire(dir, "key-1"), "a second holder of the same key is refused, not made to wait");
    Optional<DispatchLock> other = DispatchLock.tryAcquire(dir, "key-2");
    assertTrue(other.isPresent(), "another key is another lock");
    first.get().close();
    Optional<DispatchLock> again = DispatchLock.tryAcquire(dir, "key-1");
    assertTrue(again.isPresent(), "free once its holder closed it");
    again.get().close();
    other.get().close();
  }

  @Test
  void aFolderThatCannotBeMadeIsACleanRefusal() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    CommsException e = assertThrows(CommsException.class, () -> DispatchLock.tryAcquire(file.resolve("in-flight"), "key-1"));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("check the outbox is writable"), e.getMessage());
  }
}
