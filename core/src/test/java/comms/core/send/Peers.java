package comms.core.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared third-party corpora (`shared/peers/`) beside the project, failing clearly when absent. */
final class Peers {
  private Peers() {}

  /** {@code shared/peers/<relative>}, searched from the module folder upwards. */
  static Path file(String relative) {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("peers");
      if (Files.isDirectory(candidate)) {
        Path p = candidate.resolve(relative);
        if (!Files.exists(p)) {
          throw new AssertionError("shared corpus file missing: " + p + " (expected under " + candidate + ")");
        }
        return p;
      }
    }
    throw new AssertionError(
        "shared/peers/ not found in " + start + " or any folder above it; the tests read public corpora from "
            + "../shared/peers/ beside the project (see shared/peers/README.md)");
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
