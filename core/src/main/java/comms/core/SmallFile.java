package comms.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file that must be small (a contract, a schema, template variables) without trusting its
 * size: a device such as /dev/zero or a pipe reports none, and reading it to the end would fill
 * memory and end the run with an internal error instead of a sentence.
 */
public final class SmallFile {
  /** The file holds more than the limit; nothing beyond the limit was read. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    TooLarge(Path file, long limit) {
      super(file + " is larger than " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  private SmallFile() {}

  /** At most {@code maxBytes} bytes of {@code file}, or {@link TooLarge} when it holds more. */
  public static byte[] read(Path file, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(maxBytes + 1);
      if (b.length > maxBytes) {
        throw new TooLarge(file, maxBytes);
      }
      return b;
    }
  }
}
