package comms.core.outbox;

import static comms.core.outbox.JournalBytes.BLOCK;
import static comms.core.outbox.JournalBytes.TIME_PREFIX;
import static comms.core.outbox.JournalBytes.readFully;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.Timestamps;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the newest entries of the delivery log that match a {@link DeliveryJournal.Filter}, without
 * locking: backwards from the end in blocks, so the newest entries cost O(limit), not O(file). A torn
 * last line is skipped with a warning.
 */
final class JournalReader {
  private static final int MAX_WARNINGS = 20;

  private final Path file;

  JournalReader(Path file) {
    this.file = file;
  }

  /** See {@link DeliveryJournal#newest(int, DeliveryJournal.Filter)}. */
  DeliveryJournal.Page newest(int limit, DeliveryJournal.Filter filter) {
    DeliveryJournal.Filter f = filter == null ? DeliveryJournal.Filter.ALL : filter;
    Pass r = new Pass(limit, f);
    if (limit <= 0) {
      return new DeliveryJournal.Page(List.of(), List.of(), 0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      r.run(ch);
    } catch (NoSuchFileException e) {
      return new DeliveryJournal.Page(List.of(), List.of(), 0);
    } catch (IOException e) {
      throw new CommsException(
          ExitCode.CONTRACT, "cannot read the delivery log " + file + " (" + AtomicFile.describe(e) + "); check its permissions", e);
    }
    return new DeliveryJournal.Page(r.found, r.warnings(), r.bytesRead);
  }

  /**
   * The exact bytes each line the filter selects must contain: lines are written compactly, and a
   * quote inside a value is always escaped, so {@code "status":"failed"} can only occur as that
   * field. The most selective comes first.
   */
  static List<byte[]> needles(DeliveryJournal.Filter f) {
    List<byte[]> n = new ArrayList<>();
    if (f.idempotencyKey() != null) {
      n.add(needle("idempotency_key", f.idempotencyKey()));
    }
    if (f.to() != null) {
      n.add(needle("to", Recipients.normalize(f.to())));
    }
    if (f.messageType() != null) {
      n.add(needle("message_type", f.messageType()));
    }
    if (f.status() != null) {
      n.add(needle("status", f.status()));
    }
    if (f.channel() != null) {
      n.add(needle("channel", f.channel()));
    }
    if (f.operator() != null) {
      n.add(needle("operator", f.operator()));
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

  /**
   * One backwards pass over the file in blocks; a line spanning blocks is carried into the next one.
   * Works on raw bytes: a filter's first needle is searched across the whole block (skipping ahead
   * Horspool-style), and only lines holding every needle are decoded and parsed.
   */
  private final class Pass {
    final int limit;
    final DeliveryJournal.Filter filter;
    final byte[][] needles;
    final int[] shift;
    final byte[] sinceText;
    final byte[] untilText;
    final List<DeliveryRecord> found = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    int skipped;
    long bytesRead;

    Pass(int limit, DeliveryJournal.Filter f) {
      this.limit = limit;
      this.filter = f;
      this.needles = needles(f).toArray(new byte[0][]);
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
        pending = pos > 0 ? Arrays.copyOf(buf, floor) : new byte[0];
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
    Arrays.fill(shift, needle.length);
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
}
