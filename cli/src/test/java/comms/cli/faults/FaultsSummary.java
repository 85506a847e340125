package comms.cli.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The harness's figures: one line per promise, printed and appended to
 * {@code cli/target/faults/summary.txt}, which {@code bench/faults} shows at the end.
 */
final class FaultsSummary {
  static final Path FILE = Path.of("target", "faults", "summary.txt");

  private FaultsSummary() {}

  static synchronized void line(String text) {
    System.out.println(text);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, text + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A table next to the summary (the crash harness's "what the next run did" per fault point). */
  static synchronized void table(String name, String markdown) {
    System.out.println(markdown);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE.resolveSibling(name), markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
