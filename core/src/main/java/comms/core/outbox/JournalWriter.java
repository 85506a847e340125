package comms.core.outbox;

import static comms.core.outbox.JournalBytes.HASH_FIELD;
import static comms.core.outbox.JournalBytes.HASH_SUFFIX;
import static comms.core.outbox.JournalBytes.writeFully;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Appends to the delivery log. A writer locks a sidecar file (other processes) and a JVM lock
 * (other threads: a FileLock belongs to the whole process), repairs the end of the log (see {@link
 * JournalTail}: a line torn by a crash is cut, a whole line missing only its newline is completed,
 * anything else stops the append), then writes whole lines of at most {@link
 * DeliveryJournal#MAX_LINE_BYTES} in one call and forces them to disk before returning.
 */
final class JournalWriter {
  private static final long MIN_FREE_BYTES = 1 << 20;
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final Consumer<String> warnings;
  private final FaultPoint faults;

  JournalWriter(Path file, Path lockFile, Consumer<String> warnings, FaultPoint faults) {
    this.file = file;
    this.lockFile = lockFile;
    this.warnings = warnings;
    this.faults = faults;
  }

  /** See {@link DeliveryJournal#ensureWritable()}. */
  void ensureWritable() {
    try {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      // Everything an append and the last-artifact documents touch: the log and its lock sidecar
      // (opened for writing and closed untouched, which proves permission without changing a byte),
      // and the folder itself, where documents are replaced by renaming a new file over them.
      for (Path p : List.of(file, lockFile)) {
        if (Files.exists(p)) {
          FileChannel.open(p, StandardOpenOption.WRITE).close();
        }
      }
      Files.delete(Files.createTempFile(dir, ".probe-", ".tmp"));
      long free = Files.getFileStore(dir).getUsableSpace();
      if (free < MIN_FREE_BYTES) {
        throw new IOException("only " + free + " bytes are free on its disk");
      }
      refuseForeignTail("nothing was sent");
    } catch (IOException e) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "cannot write the delivery log " + file + " (" + AtomicFile.describe(e)
              + "); nothing was sent. Make the outbox folder writable and free disk space, then run again",
          e);
    }
  }

  /**
   * Fails (exit 3, nothing changed) when the log ends in bytes no crash of comms leaves, which the
   * next append would refuse to cut. Read without the lock: a line another writer is appending is
   * never longer than {@link DeliveryJournal#MAX_LINE_BYTES} and, while incomplete, never parses.
   */
  private void refuseForeignTail(String consequence) throws IOException {
    JournalTail tail;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      tail = JournalTail.of(ch);
    } catch (NoSuchFileException e) {
      return;
    }
    if (tail.kind() == JournalTail.Kind.FOREIGN) {
      throw foreignTail(tail, consequence);
    }
  }

  private CommsException foreignTail(JournalTail tail, String consequence) {
    return new CommsException(ExitCode.CONTRACT, tail.foreignReason(file) + "; " + consequence + " and the log was not changed. " + tail.foreignRemedy(file));
  }

  /** See {@link DeliveryJournal#appendAll(List)}. */
  List<DeliveryRecord> appendAll(List<DeliveryRecord> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    jvm.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        // Taken before the journal is touched; closing lockChannel releases it.
        lockChannel.lock();
        long end = repairTail(ch);
        String prev = end == 0 ? DeliveryJournal.GENESIS : JournalBytes.lastHash(ch, end);
        faults.reached(DeliveryJournal.FAULT_LOCKED);
        List<DeliveryRecord> written = new ArrayList<>(records.size());
        ByteArrayOutputStream lines = new ByteArrayOutputStream(records.size() * 640);
        MessageDigest md = Sha256.digest();
        for (DeliveryRecord given : records) {
          DeliveryRecord record = LineLimit.fit(given, prev);
          byte[] body = LineLimit.body(record, prev);
          String hash = HexFormat.of().formatHex(md.digest(body));
          lines.writeBytes(lineBytes(body, hash));
          written.add(record.chained(prev, hash));
          prev = hash;
        }
        try {
          write(ch, lines.toByteArray(), end);
          faults.reached(DeliveryJournal.FAULT_BEFORE_FORCE);
          ch.force(true);
        } catch (IOException | RuntimeException e) {
          undo(ch, end);
          throw e;
        }
        if (end == 0) {
          AtomicFile.forceFolder(file.getParent());
        }
        return written;
      }
    } catch (IOException e) {
      throw cannotWrite(e);
    } finally {
      jvm.unlock();
    }
  }

  private void write(FileChannel ch, byte[] line, long at) throws IOException {
    if (faults == FaultPoint.NONE) {
      writeFully(ch, ByteBuffer.wrap(line), at);
      return;
    }
    int half = line.length / 2;
    writeFully(ch, ByteBuffer.wrap(line, 0, half), at);
    faults.reached(DeliveryJournal.FAULT_HALF_WRITTEN);
    writeFully(ch, ByteBuffer.wrap(line, half, line.length - half), at + half);
  }

  /** Best effort after a failed write: leave no partial line behind for the next writer to repair. */
  private static void undo(FileChannel ch, long end) {
    try {
      if (ch.size() > end) {
        ch.truncate(end);
        ch.force(true);
      }
    } catch (IOException ignored) {
      // The next append repairs a torn tail anyway; the original failure is what the caller must see.
    }
  }

  private static byte[] lineBytes(byte[] body, String hash) {
    // body ends with '}': replace it by ,"hash":"…"}\n
    byte[] line = new byte[body.length - 1 + HASH_SUFFIX + 1];
    System.arraycopy(body, 0, line, 0, body.length - 1);
    int p = body.length - 1;
    System.arraycopy(HASH_FIELD, 0, line, p, HASH_FIELD.length);
    p += HASH_FIELD.length;
    byte[] h = hash.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, line, p, h.length);
    p += h.length;
    line[p++] = '"';
    line[p++] = '}';
    line[p] = '\n';
    return line;
  }

  /**
   * Makes the log end with a newline before appending; returns its new size. A torn last line is cut
   * back to the last whole line; a whole line missing only its newline gets it; anything else is
   * refused with nothing changed (see {@link JournalTail}).
   */
  private long repairTail(FileChannel ch) throws IOException {
    JournalTail tail = JournalTail.of(ch);
    switch (tail.kind()) {
      case NONE:
        return tail.size();
      case UNTERMINATED:
        writeFully(ch, ByteBuffer.wrap(new byte[] {'\n'}), tail.size());
        ch.force(true);
        warnings.accept(
            "the delivery log's last line lacked its newline (a crash at the very end of a write); it is a whole record that"
                + " chains to the line before, so it was completed, not cut, before appending");
        return tail.size() + 1;
      case TORN:
        ch.truncate(tail.wholeEnd());
        ch.force(true);
        warnings.accept(
            "the delivery log ended in a torn line ("
                + tail.length()
                + " bytes, left by a crash mid-write); it was cut back to the last whole line before appending");
        return tail.wholeEnd();
      default:
        throw foreignTail(tail, "nothing was recorded");
    }
  }

  private CommsException cannotWrite(IOException e) {
    return new CommsException(
        ExitCode.CONTRACT,
        "cannot write the delivery log "
            + file
            + " ("
            + AtomicFile.describe(e)
            + "); nothing was recorded. Make the outbox folder writable and free disk space, then run again",
        e);
  }
}
