package comms.core.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared third-party corpora (`shared/peers/`) beside the project, failing clearly when absent. */
final class Peers {
  private Peers() {}

  /** {@code shared/peers/<relative>} (see {@link comms.core.SharedPeers} for where it is looked for). */
  static Path file(String relative) {
    return comms.core.SharedPeers.file(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
