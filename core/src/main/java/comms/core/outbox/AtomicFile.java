package comms.core.outbox;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a document so readers see the old or the new version, never a partial one: write a
 * temporary file beside it, force it to disk, rename it over the target, force the folder.
 */
public final class AtomicFile {
  /** Reached after the temporary file is on disk and before the rename (crash tests). */
  public static final String FAULT_BEFORE_RENAME = "atomic-file.before-rename";

  private AtomicFile() {}

  public static void write(Path target, String content) {
    write(target, content.getBytes(StandardCharsets.UTF_8), FaultPoint.NONE);
  }

  public static void write(Path target, byte[] content, FaultPoint faults) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      faults.reached(FAULT_BEFORE_RENAME);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("this file system cannot rename atomically", e);
      }
      forceFolder(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The write already failed; a leftover dot-file is harmless and the error below matters more.
      }
      throw new CommsException(
          ExitCode.CONTRACT,
          "cannot write " + target + " (" + describe(e) + "); make the outbox folder writable and check free disk space, then run again",
          e);
    }
  }

  /** Makes a rename or a new file in {@code dir} survive power loss. */
  static void forceFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a folder for fsync; the rename itself is still atomic there.
    }
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason() + ": " + fse.getFile();
    }
    return m == null ? kind : m;
  }
}
