package comms.core.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The delivery log's line shape at the byte level, shared by {@link JournalWriter}, {@link
 * JournalReader}, {@link ChainVerifier} and {@link JournalTail}: every line comms writes ends
 * {@code ,"prev_hash":"<64 hex>","hash":"<64 hex>"}} and a newline.
 */
final class JournalBytes {
  /** Every line ends with exactly this field: {@code ,"hash":"<64 hex>"}}. */
  static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

  static final int HASH_SUFFIX = HASH_FIELD.length + 64 + 2;

  /** What comms writes just before the hash field: {@code ,"prev_hash":"<64 hex>"}. */
  static final byte[] PREV_FIELD = ",\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII);

  /** Every line comms writes starts with its time. */
  static final byte[] TIME_PREFIX = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII);

  /** How much a forward or backward pass reads at once. */
  static final int BLOCK = 1 << 20;

  private static final int TAIL_BLOCK = 1 << 16;

  private JournalBytes() {}

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

  static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  /**
   * True when the line is in the shape comms writes, links to {@code expectedPrev} and matches its
   * own hash; then its bytes are exactly the bytes comms hashed when it wrote them.
   */
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

  static boolean hasHashSuffix(byte[] b, int off, int len) {
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
