package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.outbox.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An operating-system lock held while one idempotency key is being dispatched. The OS drops it when
 * the process dies (even by SIGKILL), so a later run that finds the key in flight can tell a run
 * that is still sending (lock held) from one that died mid-dispatch (lock free).
 */
public final class DispatchLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DispatchLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock for {@code key}, or returns empty when another live run holds it. */
  public static Optional<DispatchLock> tryAcquire(Path dir, String key) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(Sha256.hex(key).substring(0, 32) + ".lock");
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new DispatchLock(ch, l));
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot lock " + dir + " for dispatch (" + e.getMessage() + "); check the outbox is writable");
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The OS releases it when the process ends anyway.
    }
  }
}
