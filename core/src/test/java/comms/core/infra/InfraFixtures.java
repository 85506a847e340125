package comms.core.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A writable copy of the sample bindings, and edits to it, for tests that break a contract. */
final class InfraFixtures {
  static final Path SAMPLE = Path.of("..", "bindings").toAbsolutePath().normalize();

  private InfraFixtures() {}

  static Path copy(Path into) {
    Path dest = into.resolve("bindings");
    try (Stream<Path> s = Files.walk(SAMPLE)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = dest.resolve(SAMPLE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dest;
  }

  /** Replaces the one occurrence of {@code from} in a bindings file; fails when it is not there exactly once. */
  static void edit(Path bindings, String file, String from, String to) {
    try {
      Path p = bindings.resolve(file);
      String s = Files.readString(p);
      int at = s.indexOf(from);
      if (at < 0 || s.indexOf(from, at + 1) >= 0) {
        throw new AssertionError("'" + from + "' is not in " + file + " exactly once");
      }
      Files.writeString(p, s.substring(0, at) + to + s.substring(at + from.length()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 1-based line of the first line of {@code file} containing {@code text}. */
  static int lineOf(Path bindings, String file, String text) {
    try {
      java.util.List<String> lines = Files.readAllLines(bindings.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("'" + text + "' is not in " + file);
  }
}
