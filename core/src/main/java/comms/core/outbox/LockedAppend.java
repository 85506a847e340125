package comms.core.outbox;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends one JSON line to a file under an exclusive lock and forces it to disk before returning, so
 * lines from processes writing at once never interleave and a line reported written survives a crash.
 * For the simulated mailboxes' small JSONL files (the delivery journal has its own, chained writer).
 */
public final class LockedAppend {
  private LockedAppend() {}

  /** Appends {@code line} to {@code file}; {@code what} names the file in the refusal when it cannot be written. */
  public static void line(Path file, Map<String, Object> line, String what) {
    byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ch.lock();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot write the " + what + " " + file + " (" + e.getMessage() + ")");
    }
  }
}
