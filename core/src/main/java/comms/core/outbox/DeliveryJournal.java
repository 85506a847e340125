package comms.core.outbox;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.Timestamps;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The append-only delivery log (communications-delivery-log.jsonl): one JSON object per line, each
 * chained to the line before by a SHA-256 hash so an edited or removed line is detected.
 *
 * <p>Writers lock a sidecar file (other processes) and a JVM lock (other threads: a FileLock
 * belongs to the whole process), repair the end of the log (see {@link JournalTail}: a line torn by
 * a crash is cut, a whole line missing only its newline is completed, anything else stops the
 * append), then write one whole line of at most {@link #MAX_LINE_BYTES} in one call and force it to
 * disk before returning. Readers never lock: they read backwards from the end for the newest
 * entries and skip a torn last line with a warning.
 */
public final class DeliveryJournal {
  /** The prev_hash of the first line. */
  public static final String GENESIS = "0".repeat(64);

  /** Reached with the lock held, before anything is written (crash tests). */
  public static final String FAULT_LOCKED = "journal.locked";

  /** Reached after half of the line is written: a kill here leaves a torn last line (crash tests). */
  public static final String FAULT_HALF_WRITTEN = "journal.half-written";

  /** Reached after the whole line is written and before it is forced to disk (crash tests). */
  public static final String FAULT_BEFORE_FORCE = "journal.before-force";

  /**
   * The longest line comms writes, newline included (64 KiB): longer error texts are clipped to fit
   * ({@link LineLimit}). A crash therefore leaves at most this many bytes minus one after the last
   * newline, and an append never cuts more than that.
   */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  /** Every line ends with exactly this field: {@code ,"hash":"<64 hex>"}}. */
  private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

  static final int HASH_SUFFIX = HASH_FIELD.length + 64 + 2;
  private static final byte[] TIME_PREFIX = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int BLOCK = 1 << 20;
  private static final int TAIL_BLOCK = 1 << 16;
  private static final int MAX_WARNINGS = 20;
  private static final long MIN_FREE_BYTES = 1 << 20;
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final Consumer<String> warnings;
  private final FaultPoint faults;

  /**
   * @param warnings receives a sentence when an append repaired a torn last line
   * @param faults crash-test hook; {@link FaultPoint#NONE} in normal runs
   */
  public DeliveryJournal(Path file, Path lockFile, Consumer<String> warnings, FaultPoint faults) {
    this.file = Objects.requireNonNull(file);
    this.lockFile = Objects.requireNonNull(lockFile);
    this.warnings = warnings == null ? w -> {} : warnings;
    this.faults = faults == null ? FaultPoint.NONE : faults;
  }

  /** The delivery log of an outbox. */
  public static DeliveryJournal of(OutboxPaths outbox, Consumer<String> warnings) {
    return new DeliveryJournal(outbox.deliveryLog(), outbox.deliveryLogLock(), warnings, FaultPoint.NONE);
  }

  public DeliveryJournal withFaults(FaultPoint f) {
    return new DeliveryJournal(file, lockFile, warnings, f);
  }

  public Path file() {
    return file;
  }

  // ------------------------------------------------------------------------------------ writing

  /**
   * Fails now, before anything is dispatched, when a line could not be appended: the folder cannot
   * be created or written, the log is read-only, or the disk is nearly full. Call it before asking
   * for approval and again just before dispatch; it creates the communications folder if needed and
   * nothing else.
   */
  public void ensureWritable() {
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
   * never longer than {@link #MAX_LINE_BYTES} and, while incomplete, never parses.
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

  /**
   * Appends one line and forces it to disk. Returns the record as written, with prev_hash and hash.
   * Throws a CommsException (nothing appended) when the log cannot be written, so a caller that
   * appends before reporting success never reports a delivery the log does not hold.
   */
  public DeliveryRecord append(DeliveryRecord record) {
    return appendAll(List.of(record)).get(0);
  }

  /**
   * Appends several lines in order under one lock with one write and one force: all of them or, on
   * failure, none (a crash part-way leaves a torn tail the next append cuts back to whole lines).
   */
  public List<DeliveryRecord> appendAll(List<DeliveryRecord> records) {
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
        String prev = end == 0 ? GENESIS : lastHash(ch, end);
        faults.reached(FAULT_LOCKED);
        List<DeliveryRecord> written = new ArrayList<>(records.size());
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream(records.size() * 640);
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
          faults.reached(FAULT_BEFORE_FORCE);
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
    faults.reached(FAULT_HALF_WRITTEN);
    writeFully(ch, ByteBuffer.wrap(line, half, line.length - half), at + half);
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
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

  /** The hash the next line chains to: the last line's hash field, or the SHA-256 of a line that has none. */
  static String lastHash(FileChannel ch, long end) throws IOException {
    long start = lastNewline(ch, end - 1) + 1;
    int len = (int) (end - 1 - start);
    byte[] b = new byte[len];
    readFully(ch, ByteBuffer.wrap(b), start);
    if (hasHashSuffix(b, 0, len)) {
      return new String(b, len - 66, 64, StandardCharsets.US_ASCII);
    }
    return Sha256.hex(b);
  }

  static byte byteAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    readFully(ch, b, pos);
    return b.get(0);
  }

  /** Position of the last '\n' before {@code before}, or -1. */
  static long lastNewline(FileChannel ch, long before) throws IOException {
    byte[] buf = new byte[TAIL_BLOCK];
    long pos = before;
    while (pos > 0) {
      int n = (int) Math.min(buf.length, pos);
      long from = pos - n;
      readFully(ch, ByteBuffer.wrap(buf, 0, n), from);
      for (int i = n - 1; i >= 0; i--) {
        if (buf[i] == '\n') {
          return from + i;
        }
      }
      pos = from;
    }
    return -1;
  }

  static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("the delivery log shrank while it was being read");
      }
      pos += n;
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

  // ------------------------------------------------------------------------------------ reading

  /** What to select; null fields select everything. since is inclusive, until exclusive. */
  public record Filter(
      String channel, String status, String to, String messageType, String idempotencyKey, Instant since, Instant until, String operator) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null, null);

    public Filter channel(String v) {
      return new Filter(v, status, to, messageType, idempotencyKey, since, until, operator);
    }

    public Filter status(String v) {
      return new Filter(channel, v, to, messageType, idempotencyKey, since, until, operator);
    }

    public Filter to(String v) {
      return new Filter(channel, status, v, messageType, idempotencyKey, since, until, operator);
    }

    public Filter messageType(String v) {
      return new Filter(channel, status, to, v, idempotencyKey, since, until, operator);
    }

    public Filter idempotencyKey(String v) {
      return new Filter(channel, status, to, messageType, v, since, until, operator);
    }

    public Filter since(Instant v) {
      return new Filter(channel, status, to, messageType, idempotencyKey, v, until, operator);
    }

    public Filter until(Instant v) {
      return new Filter(channel, status, to, messageType, idempotencyKey, since, v, operator);
    }

    /** Only the sends of this operator (the log's {@code operator} field, a normalized email). */
    public Filter operator(String v) {
      return new Filter(channel, status, to, messageType, idempotencyKey, since, until, v);
    }

    public boolean matches(DeliveryRecord r) {
      return (channel == null || channel.equals(r.channel()))
          && (status == null || status.equals(r.status()))
          && (to == null || Recipients.normalize(to).equals(r.to()))
          && (messageType == null || messageType.equals(r.messageType()))
          && (idempotencyKey == null || idempotencyKey.equals(r.idempotencyKey()))
          && (since == null || !r.time().isBefore(since))
          && (until == null || r.time().isBefore(until))
          && (operator == null || operator.equals(r.operator()));
    }

    /**
     * The exact bytes each selected line must contain: lines are
     * written compactly, and a quote inside a value is always escaped, so {@code "status":"failed"}
     * can only occur as that field. The most selective comes first.
     */
    List<byte[]> needles() {
      List<byte[]> n = new ArrayList<>();
      if (idempotencyKey != null) {
        n.add(needle("idempotency_key", idempotencyKey));
      }
      if (to != null) {
        n.add(needle("to", Recipients.normalize(to)));
      }
      if (messageType != null) {
        n.add(needle("message_type", messageType));
      }
      if (status != null) {
        n.add(needle("status", status));
      }
      if (channel != null) {
        n.add(needle("channel", channel));
      }
      if (operator != null) {
        n.add(needle("operator", operator));
      }
      return n;
    }

    private static byte[] needle(String key, String value) {
      StringBuilder sb = new StringBuilder();
      Json.quote(sb, key);
      sb.append(':');
      Json.quote(sb, value);
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * The selected entries newest first, the warnings met on the way (a torn last line, an unreadable
   * line), and how many bytes were read (reading the newest entries costs O(limit), not O(file)).
   */
  public record Page(List<DeliveryRecord> entries, List<String> warnings, long bytesRead) {
    public Page {
      entries = List.copyOf(entries);
      warnings = List.copyOf(warnings);
    }
  }

  /** The newest {@code limit} entries that match, newest first, reading backwards from the end. */
  public Page newest(int limit, Filter filter) {
    Filter f = filter == null ? Filter.ALL : filter;
    Reader r = new Reader(limit, f);
    if (limit <= 0) {
      return new Page(List.of(), List.of(), 0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      r.run(ch);
    } catch (NoSuchFileException e) {
      return new Page(List.of(), List.of(), 0);
    } catch (IOException e) {
      throw new CommsException(
          ExitCode.CONTRACT, "cannot read the delivery log " + file + " (" + AtomicFile.describe(e) + "); check its permissions", e);
    }
    return new Page(r.found, r.warnings(), r.bytesRead);
  }

  /**
   * One backwards pass over the file in blocks; a line spanning blocks is carried into the next one.
   * Works on raw bytes: a filter's first needle is searched across the whole block (skipping ahead
   * Horspool-style), and only lines holding every needle are decoded and parsed.
   */
  private final class Reader {
    final int limit;
    final Filter filter;
    final byte[][] needles;
    final int[] shift;
    final byte[] sinceText;
    final byte[] untilText;
    final List<DeliveryRecord> found = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    int skipped;
    long bytesRead;

    Reader(int limit, Filter f) {
      this.limit = limit;
      this.filter = f;
      this.needles = f.needles().toArray(new byte[0][]);
      this.shift = needles.length == 0 ? null : backwardShifts(needles[0]);
      this.sinceText = f.since() == null ? null : Timestamps.format(f.since()).getBytes(StandardCharsets.US_ASCII);
      this.untilText = f.until() == null ? null : Timestamps.format(f.until()).getBytes(StandardCharsets.US_ASCII);
    }

    void run(FileChannel ch) throws IOException {
      long size = ch.size();
      if (size == 0) {
        return;
      }
      JournalTail tail = JournalTail.of(ch);
      // pos: where the newest line ends (the final '\n' is not part of any line).
      long pos = size - 1;
      switch (tail.kind()) {
        case NONE:
          break;
        case UNTERMINATED:
          pos = size;
          warnings.add(
              "the last line of the delivery log lacks its newline (a crash at the very end of a write); it is a whole record"
                  + " and was read; the next send completes it");
          break;
        case TORN:
          warnings.add(
              "the last line of the delivery log is incomplete ("
                  + tail.length()
                  + " bytes, probably a crash mid-write) and was skipped; the next send repairs it");
          pos = tail.wholeEnd() - 1;
          break;
        default:
          warnings.add(tail.foreignReason(file) + "; they were skipped, and sends stop until they are dealt with: " + tail.foreignRemedy(file));
          pos = tail.wholeEnd() - 1;
      }
      if (pos < 0) {
        bytesRead = size;
        return;
      }
      bytesRead += size - pos;
      byte[] pending = new byte[0];
      byte[] buf = null;
      do {
        int n = (int) Math.min(BLOCK, pos);
        long from = pos - n;
        int len = n + pending.length;
        if (buf == null || buf.length != len) {
          buf = new byte[len];
        }
        readFully(ch, ByteBuffer.wrap(buf, 0, n), from);
        System.arraycopy(pending, 0, buf, n, pending.length);
        bytesRead += n;
        pos = from;
        // Lines after floor are whole; the bytes before it continue a line that starts in an earlier block.
        int floor = pos > 0 ? indexOf(buf, (byte) '\n', 0, len) : -1;
        if (pos > 0 && floor < 0) {
          pending = buf;
          buf = null;
          continue;
        }
        if (needles.length == 0 ? everyLine(buf, floor, len) : matchingLines(buf, floor, len)) {
          return;
        }
        pending = pos > 0 ? java.util.Arrays.copyOf(buf, floor) : new byte[0];
      } while (pos > 0);
    }

    /** Lines in (floor, len], newest first; true when the limit is reached. */
    private boolean everyLine(byte[] buf, int floor, int len) {
      int lineEnd = len;
      while (lineEnd > floor) {
        int nl = lastIndexOf(buf, (byte) '\n', lineEnd - 1);
        if (consider(buf, nl + 1, lineEnd)) {
          return true;
        }
        lineEnd = nl;
      }
      return false;
    }

    /** Only lines holding the first needle, found by searching the block rather than each line. */
    private boolean matchingLines(byte[] buf, int floor, int len) {
      byte[] first = needles[0];
      int from = len - first.length;
      while (from > floor) {
        int hit = lastIndexOf(buf, first, shift, from, floor);
        if (hit < 0) {
          return false;
        }
        int start = lastIndexOf(buf, (byte) '\n', hit) + 1;
        int end = indexOf(buf, (byte) '\n', hit, len);
        if (consider(buf, start, end < 0 ? len : end)) {
          return true;
        }
        // A needle holds no newline, so the next hit ends before this line's leading '\n'.
        from = start - 1 - first.length;
      }
      return false;
    }

    private boolean consider(byte[] buf, int start, int end) {
      for (int i = 1; i < needles.length; i++) {
        if (!contains(buf, needles[i], start, end)) {
          return false;
        }
      }
      if ((sinceText != null || untilText != null) && startsWith(buf, start, TIME_PREFIX) && end - start > TIME_PREFIX.length + Timestamps.LENGTH) {
        int t = start + TIME_PREFIX.length;
        // Fixed-width timestamps compare as text; equal ones go on to the exact check below.
        if (sinceText != null && compareAt(buf, t, sinceText) < 0 || untilText != null && compareAt(buf, t, untilText) > 0) {
          return false;
        }
      }
      DeliveryRecord r;
      try {
        r = DeliveryRecord.fromFields(Json.parseObject(new String(buf, start, end - start, StandardCharsets.UTF_8)));
      } catch (RuntimeException e) {
        skipped++;
        if (skipped <= MAX_WARNINGS) {
          warnings.add(
              "a line of the delivery log is not a valid record ("
                  + e.getMessage()
                  + ") and was skipped; run `comms delivery.log --verify` to find it");
        }
        return false;
      }
      if (!filter.matches(r)) {
        return false;
      }
      found.add(r);
      return found.size() >= limit;
    }

    List<String> warnings() {
      if (skipped > MAX_WARNINGS) {
        List<String> w = new ArrayList<>(warnings);
        w.add((skipped - MAX_WARNINGS) + " more unreadable lines were skipped");
        return w;
      }
      return warnings;
    }
  }

  /**
   * For a right-to-left Horspool search: how far the window may move left when its first byte is
   * c (the nearest position k >= 1 of c in the needle, else the needle's length).
   */
  private static int[] backwardShifts(byte[] needle) {
    int[] shift = new int[256];
    java.util.Arrays.fill(shift, needle.length);
    for (int k = needle.length - 1; k >= 1; k--) {
      shift[needle[k] & 0xff] = k;
    }
    return shift;
  }

  /** The last start position in (floor, from] where needle occurs, or -1. */
  private static int lastIndexOf(byte[] b, byte[] needle, int[] shift, int from, int floor) {
    int m = needle.length;
    int i = from;
    while (i > floor) {
      int k = 0;
      while (k < m && b[i + k] == needle[k]) {
        k++;
      }
      if (k == m) {
        return i;
      }
      i -= shift[b[i] & 0xff];
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, byte c, int from) {
    for (int i = from; i >= 0; i--) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    if (at + prefix.length > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int compareAt(byte[] b, int at, byte[] text) {
    for (int i = 0; i < text.length; i++) {
      int d = (b[at + i] & 0xff) - (text[i] & 0xff);
      if (d != 0) {
        return d;
      }
    }
    return 0;
  }

  private static boolean contains(byte[] b, byte[] needle, int from, int to) {
    int last = to - needle.length;
    byte c = needle[0];
    for (int i = from; i <= last; i++) {
      if (b[i] == c && startsWith(b, i, needle)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------ verifying

  /**
   * The outcome of {@link #verify()}: ok, or the first broken line (1-based) and why. A torn last
   * line is not a break (a crash leaves it; the next append repairs it); it is a warning.
   */
  public record Verification(boolean ok, long lines, long brokenLine, String reason, List<String> warnings, List<String> missing) {
    public Verification {
      warnings = List.copyOf(warnings);
      missing = List.copyOf(missing);
    }

    Verification(boolean ok, long lines, long brokenLine, String reason, List<String> warnings) {
      this(ok, lines, brokenLine, reason, warnings, List.of());
    }
  }

  /**
   * {@link #verify()}, and then every delivery id in {@code mustHave} must be on a line of the log:
   * the ones that are not are returned in {@link Verification#missing} (in {@code mustHave}'s
   * order) and the log is not ok. comms completes a send in the state store only after its line is
   * written and forced to disk, so a send the store calls done whose line is missing means the log
   * lost lines at its end (truncated, replaced, restored from an older copy), which the chain alone
   * cannot show.
   */
  public Verification verify(java.util.Collection<String> mustHave) {
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>(mustHave);
    Verification v = walk(wanted.isEmpty() ? null : wanted);
    if (!v.ok() || wanted.isEmpty()) {
      return v;
    }
    List<String> missing = List.copyOf(wanted);
    String reason =
        missing.size() + " send" + (missing.size() == 1 ? "" : "s") + " the state store records as completed "
            + (missing.size() == 1 ? "has no line" : "have no lines") + " in the log (delivery " + missing.get(0)
            + (missing.size() > 1 ? " and others" : "") + "): lines were lost from the end of the log"
            + " (truncated, replaced or restored from an older copy)";
    return new Verification(false, v.lines(), v.lines() + 1, reason, v.warnings(), missing);
  }

  /**
   * Walks the whole log forward checking every line: whole, linked to the line before, matching its
   * own hash, and JSON (parsed when the line is not in the shape comms writes or a check fails; see
   * {@link #checkLine}).
   */
  public Verification verify() {
    return walk(null);
  }

  /** The forward walk; each whole line's delivery id is struck from {@code wanted} (null: none wanted). */
  private Verification walk(java.util.Set<String> wanted) {
    List<String> warnings = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] buf = new byte[BLOCK];
      int filled = 0;
      int start = 0;
      int scan = 0;
      long lineNo = 0;
      String expected = GENESIS;
      MessageDigest md = Sha256.digest();
      long pos = 0;
      while (true) {
        while (scan < filled) {
          if (buf[scan] == '\n') {
            lineNo++;
            String problem = checkLine(buf, start, scan - start, lineNo, expected, md);
            if (problem != null) {
              return new Verification(false, lineNo - 1, lineNo, problem, warnings);
            }
            expected = new String(buf, scan - 66, 64, StandardCharsets.US_ASCII);
            if (wanted != null) {
              String id = deliveryId(buf, start, scan - start);
              if (id != null) {
                wanted.remove(id);
              }
            }
            start = scan + 1;
          }
          scan++;
        }
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, filled - start);
          filled -= start;
          scan -= start;
          start = 0;
        }
        if (filled == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled), pos);
        if (n < 0) {
          break;
        }
        pos += n;
        filled += n;
      }
      if (filled > 0) {
        return lastLine(buf, filled, lineNo, expected, md, pos, warnings, wanted);
      }
      return new Verification(true, lineNo, 0, null, warnings);
    } catch (NoSuchFileException e) {
      return new Verification(true, 0, 0, null, warnings);
    } catch (IOException e) {
      throw new CommsException(
          ExitCode.CONTRACT, "cannot read the delivery log " + file + " (" + AtomicFile.describe(e) + "); check its permissions", e);
    }
  }

  /**
   * The bytes after the last newline ({@code buf[0, filled)}, the log {@code size} long): a whole
   * line missing only its newline counts (the next append completes it), a line torn by a crash is
   * a warning (the next append cuts it), anything else breaks the log (see {@link JournalTail}).
   */
  private Verification lastLine(byte[] buf, int filled, long lineNo, String expected, MessageDigest md, long size, List<String> warnings, java.util.Set<String> wanted) {
    long n = lineNo + 1;
    JournalTail tail = new JournalTail(JournalTail.Kind.FOREIGN, size - filled, size);
    if (filled > MAX_LINE_BYTES - 1) {
      return new Verification(false, lineNo, n, tail.foreignReason(file) + " (from line " + n + "); " + tail.foreignRemedy(file), warnings);
    }
    String problem = checkLine(buf, 0, filled, n, expected, md);
    if (problem == null) {
      warnings.add("line " + n + ", the last, lacks its newline (a crash at the very end of a write); it is whole and chained, and the next send completes it");
      if (wanted != null) {
        String id = deliveryId(buf, 0, filled);
        if (id != null) {
          wanted.remove(id);
        }
      }
      return new Verification(true, n, 0, null, warnings);
    }
    if (problem.startsWith("line " + n + " is not valid JSON")) {
      warnings.add(
          "the last line (line " + n + ", " + filled + " bytes) is incomplete, probably from a crash mid-write; readers skip it and the next send repairs it");
      return new Verification(true, lineNo, 0, null, warnings);
    }
    return new Verification(
        false, lineNo, n, problem + " (it has no newline, but it is a whole line, so no crash left it; sends stop until it is dealt with)", warnings);
  }

  private static final byte[] DELIVERY_ID_FIELD = "\"delivery_id\":\"".getBytes(StandardCharsets.US_ASCII);

  /** The delivery id of a line comms wrote (its second field, right after the time), or null. */
  private static String deliveryId(byte[] b, int off, int len) {
    int end = off + Math.min(len, 512);
    outer:
    for (int p = off; p + DELIVERY_ID_FIELD.length < end; p++) {
      for (int i = 0; i < DELIVERY_ID_FIELD.length; i++) {
        if (b[p + i] != DELIVERY_ID_FIELD[i]) {
          continue outer;
        }
      }
      int v = p + DELIVERY_ID_FIELD.length;
      for (int q = v; q < off + len; q++) {
        if (b[q] == '"') {
          return new String(b, v, q - v, StandardCharsets.UTF_8);
        }
        if (b[q] == '\\') {
          // An escaped id is not one comms makes; read the line properly.
          Object id = Json.parseObject(new String(b, off, len, StandardCharsets.UTF_8)).get("delivery_id");
          return id instanceof String str ? str : null;
        }
      }
      return null;
    }
    return null;
  }

  /** What comms writes just before the hash field: {@code ,"prev_hash":"<64 hex>"}. */
  private static final byte[] PREV_FIELD = ",\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * Null when the line is whole, parses, links to {@code expectedPrev} and matches its own hash.
   *
   * <p>A line in the shape comms writes (it ends {@code ,"prev_hash":"…","hash":"…"}) whose link and
   * hash are right is accepted without building its JSON object: its bytes are then exactly the
   * bytes comms hashed when it wrote them, which were JSON. Any other line, and any line that fails,
   * goes through the full check below, so the reason reported is the same. (On a million-line log
   * this halves the time of {@code delivery.log --verify}.)
   */
  private static String checkLine(byte[] buf, int off, int len, long n, String expectedPrev, MessageDigest md) {
    if (linksAndHashes(buf, off, len, expectedPrev, md)) {
      return null;
    }
    return checkLineFully(buf, off, len, n, expectedPrev, md);
  }

  static boolean linksAndHashes(byte[] buf, int off, int len, String expectedPrev, MessageDigest md) {
    int tail = PREV_FIELD.length + 64 + 1 + HASH_SUFFIX;
    if (len < tail + 1 || buf[off] != '{' || !hasHashSuffix(buf, off, len)) {
      return false;
    }
    int p = off + len - tail;
    for (int i = 0; i < PREV_FIELD.length; i++) {
      if (buf[p + i] != PREV_FIELD[i]) {
        return false;
      }
    }
    p += PREV_FIELD.length;
    for (int i = 0; i < 64; i++) {
      if (buf[p + i] != expectedPrev.charAt(i)) {
        return false;
      }
    }
    if (buf[p + 64] != '"') {
      return false;
    }
    md.reset();
    md.update(buf, off, len - HASH_SUFFIX);
    md.update((byte) '}');
    byte[] digest = md.digest();
    int h = off + len - 66;
    for (int i = 0; i < 32; i++) {
      int hi = Character.digit(buf[h + 2 * i], 16);
      int lo = Character.digit(buf[h + 2 * i + 1], 16);
      if (hi < 0 || lo < 0 || (byte) (hi << 4 | lo) != digest[i]) {
        return false;
      }
    }
    return true;
  }

  private static String checkLineFully(byte[] buf, int off, int len, long n, String expectedPrev, MessageDigest md) {
    Map<String, Object> m;
    try {
      m = Json.parseObject(new String(buf, off, len, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return "line " + n + " is not valid JSON (" + e.getMessage() + ")";
    }
    if (!hasHashSuffix(buf, off, len)) {
      return "line " + n + " does not end with its \"hash\" field, so it was not written by comms or was edited";
    }
    Object prev = m.get("prev_hash");
    if (!expectedPrev.equals(prev)) {
      return n == 1
          ? "chain broken at line 1: its prev_hash is not the start of a chain, so lines before it were removed"
          : "chain broken at line " + n + ": its prev_hash does not match line " + (n - 1) + "'s hash, so a line was removed, inserted or reordered";
    }
    md.reset();
    md.update(buf, off, len - HASH_SUFFIX);
    md.update((byte) '}');
    String actual = HexFormat.of().formatHex(md.digest());
    String stored = new String(buf, off + len - 66, 64, StandardCharsets.US_ASCII);
    if (!actual.equals(stored)) {
      return "hash mismatch at line " + n + ": the line was changed after it was written";
    }
    return null;
  }

  private static boolean hasHashSuffix(byte[] b, int off, int len) {
    if (len < HASH_SUFFIX + 1) {
      return false;
    }
    int p = off + len - HASH_SUFFIX;
    for (int i = 0; i < HASH_FIELD.length; i++) {
      if (b[p + i] != HASH_FIELD[i]) {
        return false;
      }
    }
    p += HASH_FIELD.length;
    for (int i = 0; i < 64; i++) {
      byte c = b[p + i];
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return b[off + len - 2] == '"' && b[off + len - 1] == '}';
  }
}
