package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.outbox.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operating-system lock held while one idempotency key is being dispatched. The OS drops it when
 * the process dies (even by SIGKILL), so a later run that finds the key in flight can tell a run
 * that is still sending (lock held) from one that died mid-dispatch (lock free).
 *
 * <p>Every key is a one-byte range of one file in the folder ({@code dispatch.lock}, at an offset
 * taken from the key's SHA-256), locked with the OS's record locks: no file to create per message
 * (creating one was a quarter of a worker pass). Each process opens the file once and never closes
 * it while it runs, since closing any descriptor of a file drops all of the process's locks on it.
 * Two locks in one process (threads) on the same key refuse each other as two processes do.
 */
public final class DispatchLock implements AutoCloseable {
  /** The file in the lock folder whose byte ranges are the keys' locks. */
  static final String FILE = "dispatch.lock";

  private static final Map<Path, FileChannel> OPEN = new ConcurrentHashMap<>();

  private final FileLock lock;

  private DispatchLock(FileLock lock) {
    this.lock = lock;
  }

  /** Takes the lock for {@code key}, or returns empty when another live run holds it. */
  public static Optional<DispatchLock> tryAcquire(Path dir, String key) {
    try {
      FileChannel ch = channel(dir);
      // An interrupted thread's I/O closes the channel, and with it every lock this process holds on
      // the file: the flag is set aside for the call and put back after.
      boolean interrupted = Thread.interrupted();
      FileLock l;
      try {
        l = ch.tryLock(offset(key), 1, false);
      } catch (OverlappingFileLockException e) {
        l = null;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return l == null ? Optional.empty() : Optional.of(new DispatchLock(l));
    } catch (IOException | UncheckedIOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot lock " + dir + " for dispatch (" + e.getMessage() + "); check the outbox is writable");
    }
  }

  /** Where the key's byte is: the first 60 bits of its SHA-256 (two keys sharing one would only wait for each other). */
  static long offset(String key) {
    return Long.parseLong(Sha256.hex(key).substring(0, 15), 16);
  }

  private static FileChannel channel(Path dir) throws IOException {
    Path file = dir.toAbsolutePath().normalize().resolve(FILE);
    FileChannel open = OPEN.get(file);
    if (open != null && open.isOpen()) {
      return open;
    }
    synchronized (OPEN) {
      open = OPEN.get(file);
      if (open == null || !open.isOpen()) {
        Files.createDirectories(dir);
        open = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        OPEN.put(file, open);
      }
      return open;
    }
  }

  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    try {
      lock.release();
    } catch (IOException e) {
      // The OS releases it when the process ends anyway.
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
