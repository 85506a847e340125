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
  void allKeysAreRangesOfOneFileAndAnInterruptedThreadDoesNotDropThem() throws Exception {
    Path dir = tmp.resolve("state/in-flight");
    Optional<DispatchLock> held = DispatchLock.tryAcquire(dir, "key-1");
    assertTrue(held.isPresent());
    Thread.currentThread().interrupt();
    try {
      assertTrue(DispatchLock.tryAcquire(dir, "key-2").isPresent(), "an interrupted thread still takes a lock");
      assertTrue(Thread.currentThread().isInterrupted(), "and keeps its interrupt");
    } finally {
      Thread.interrupted();
    }
    assertEquals(Optional.empty(), DispatchLock.tryAcquire(dir, "key-1"), "the first lock survived the interrupt");
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertEquals(java.util.List.of(dir.resolve("dispatch.lock")), files.toList(), "no file per key");
    }
    assertTrue(DispatchLock.offset("key-1") != DispatchLock.offset("key-2") && DispatchLock.offset("key-1") >= 0);
    held.get().close();
  }

  @Test
  void aFolderThatCannotBeMadeIsACleanRefusal() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    CommsException e = assertThrows(CommsException.class, () -> DispatchLock.tryAcquire(file.resolve("in-flight"), "key-1"));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("check the outbox is writable"), e.getMessage());
  }
}
