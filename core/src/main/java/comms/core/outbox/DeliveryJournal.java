package comms.core.outbox;

import comms.core.Recipients;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The append-only delivery log (communications-delivery-log.jsonl): one JSON object per line, each
 * chained to the line before by a SHA-256 hash so an edited or removed line is detected.
 *
 * <p>This is the one door to it; the work is in three rooms. {@link JournalWriter} appends (locks,
 * repairs a torn tail, writes whole lines of at most {@link #MAX_LINE_BYTES} and forces them to
 * disk before returning); {@link JournalReader} reads the newest entries matching a {@link Filter}
 * backwards from the end without locking; {@link ChainVerifier} walks the chain forward. The line
 * shape they share is {@link JournalBytes}.
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

  private final Path file;
  private final Path lockFile;
  private final Consumer<String> warnings;
  private final FaultPoint faults;
  private final JournalWriter writer;
  private final JournalReader reader;
  private final ChainVerifier verifier;

  /**
   * @param warnings receives a sentence when an append repaired a torn last line
   * @param faults crash-test hook; {@link FaultPoint#NONE} in normal runs
   */
  public DeliveryJournal(Path file, Path lockFile, Consumer<String> warnings, FaultPoint faults) {
    this.file = Objects.requireNonNull(file);
    this.lockFile = Objects.requireNonNull(lockFile);
    this.warnings = warnings == null ? w -> {} : warnings;
    this.faults = faults == null ? FaultPoint.NONE : faults;
    this.writer = new JournalWriter(this.file, this.lockFile, this.warnings, this.faults);
    this.reader = new JournalReader(this.file);
    this.verifier = new ChainVerifier(this.file);
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
    writer.ensureWritable();
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
   * The bytes are exactly those of appending them one by one.
   */
  public List<DeliveryRecord> appendAll(List<DeliveryRecord> records) {
    return writer.appendAll(records);
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
    return reader.newest(limit, filter);
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
  public Verification verify(Collection<String> mustHave) {
    return verifier.verify(mustHave);
  }

  /**
   * Walks the whole log forward checking every line: whole, linked to the line before, matching its
   * own hash, and JSON (parsed when the line is not in the shape comms writes or a check fails).
   */
  public Verification verify() {
    return verifier.verify();
  }
}
