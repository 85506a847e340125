package comms.core.outbox;

import static comms.core.outbox.JournalBytes.BLOCK;
import static comms.core.outbox.JournalBytes.HASH_SUFFIX;
import static comms.core.outbox.JournalBytes.hasHashSuffix;
import static comms.core.outbox.JournalBytes.linksAndHashes;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal.Verification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the delivery log's hash chain: walks it forward, every line whole, linked to the line
 * before and matching its own hash; and, given the delivery ids a state store calls completed,
 * that none of them is missing from the log. Reads without locking.
 */
final class ChainVerifier {
  private static final byte[] DELIVERY_ID_FIELD = "\"delivery_id\":\"".getBytes(StandardCharsets.US_ASCII);

  private final Path file;

  ChainVerifier(Path file) {
    this.file = file;
  }

  /**
   * {@link #verify()}, and then every delivery id in {@code mustHave} must be on a line of the log:
   * the ones that are not are returned in {@link Verification#missing} (in {@code mustHave}'s
   * order) and the log is not ok. comms completes a send in the state store only after its line is
   * written and forced to disk, so a send the store calls done whose line is missing means the log
   * lost lines at its end (truncated, replaced, restored from an older copy), which the chain alone
   * cannot show.
   */
  Verification verify(Collection<String> mustHave) {
    Set<String> wanted = new LinkedHashSet<>(mustHave);
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
  Verification verify() {
    return walk(null);
  }

  /** The forward walk; each whole line's delivery id is struck from {@code wanted} (null: none wanted). */
  private Verification walk(Set<String> wanted) {
    List<String> warnings = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] buf = new byte[BLOCK];
      int filled = 0;
      int start = 0;
      int scan = 0;
      long lineNo = 0;
      String expected = DeliveryJournal.GENESIS;
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
          buf = Arrays.copyOf(buf, buf.length * 2);
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
  private Verification lastLine(byte[] buf, int filled, long lineNo, String expected, MessageDigest md, long size, List<String> warnings, Set<String> wanted) {
    long n = lineNo + 1;
    JournalTail tail = new JournalTail(JournalTail.Kind.FOREIGN, size - filled, size);
    if (filled > DeliveryJournal.MAX_LINE_BYTES - 1) {
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
}
