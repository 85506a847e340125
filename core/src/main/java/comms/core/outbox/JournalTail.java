package comms.core.outbox;

import comms.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the delivery log holds after its last newline, and so what the next append may do with it.
 *
 * <p>comms writes each line whole in one call and ends it with a newline, so a crash can leave at
 * most one line without its newline, never longer than {@link DeliveryJournal#MAX_LINE_BYTES}. A
 * line cut short does not parse (a prefix of a JSON object is not one): it is {@code TORN} and may
 * be cut. A line that parses and chains to the line before lacks only its newline: it is
 * {@code UNTERMINATED} and is completed, never cut. Anything else (longer than any line comms
 * writes, or a whole JSON object that does not chain) was not left by a crash: it is {@code FOREIGN},
 * and nothing may change the log until a person has looked at it.
 *
 * @param wholeEnd where the last whole (newline-ended) line ends: the size the log would be cut to
 * @param size the log's size
 */
record JournalTail(Kind kind, long wholeEnd, long size) {
  enum Kind {
    /** The log is empty or ends with a newline. */
    NONE,
    /** A whole line that parses and chains, missing only its newline. */
    UNTERMINATED,
    /** A line a crash cut short: at most the longest line comms writes, not JSON. */
    TORN,
    /** Bytes after the last newline that no crash of comms leaves. */
    FOREIGN
  }

  /** The bytes after the last newline. */
  long length() {
    return size - wholeEnd;
  }

  /** Reads the end of the log through {@code ch} (the caller's lock, if any, protects it). */
  static JournalTail of(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0 || JournalBytes.byteAt(ch, size - 1) == '\n') {
      return new JournalTail(Kind.NONE, size, size);
    }
    long wholeEnd = JournalBytes.lastNewline(ch, size) + 1;
    long len = size - wholeEnd;
    if (len > DeliveryJournal.MAX_LINE_BYTES - 1) {
      return new JournalTail(Kind.FOREIGN, wholeEnd, size);
    }
    byte[] b = new byte[(int) len];
    JournalBytes.readFully(ch, ByteBuffer.wrap(b), wholeEnd);
    String prev = wholeEnd == 0 ? DeliveryJournal.GENESIS : JournalBytes.lastHash(ch, wholeEnd);
    if (JournalBytes.linksAndHashes(b, 0, b.length, prev, Sha256.digest())) {
      return new JournalTail(Kind.UNTERMINATED, wholeEnd, size);
    }
    try {
      Json.parseObject(new String(b, StandardCharsets.UTF_8));
    } catch (RuntimeException notJson) {
      return new JournalTail(Kind.TORN, wholeEnd, size);
    }
    return new JournalTail(Kind.FOREIGN, wholeEnd, size);
  }

  /** What a FOREIGN tail is, as the start of a sentence. */
  String foreignReason(Path file) {
    if (length() > DeliveryJournal.MAX_LINE_BYTES - 1) {
      return "the delivery log " + file + " ends in " + length() + " bytes with no newline, more than the longest line comms writes ("
          + DeliveryJournal.MAX_LINE_BYTES + " bytes), so they are not a line torn by a crash";
    }
    return "the delivery log " + file + " ends in a whole JSON line with no newline that does not chain to the line before it"
        + " or does not match its own hash, so it is not a line torn by a crash";
  }

  /** What the operator should do about a FOREIGN tail, once they know what it is. */
  String foreignRemedy(Path file) {
    return "run `comms delivery.log --verify` to see where the log breaks; keep a copy of the log, and when its end is not delivery"
        + " evidence cut it back to its whole lines (truncate -s " + wholeEnd + " " + file + "), then run again";
  }
}
