package comms.core.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The operator runbooks (markdown files in runbooks/), searched for the capabilities they document. */
public final class Runbooks {
  private final Path dir;
  private final Map<Path, String> texts;

  private Runbooks(Path dir, Map<Path, String> texts) {
    this.dir = dir;
    this.texts = texts;
  }

  /** Reads every {@code *.md} under {@code dir}; an absent folder reads as no runbooks. */
  public static Runbooks read(Path dir) {
    Map<Path, String> texts = new LinkedHashMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.walk(dir, 3)) {
        List<Path> files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList());
        for (Path p : files) {
          texts.put(p, Files.readString(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Runbooks(dir, texts);
  }

  public Path dir() {
    return dir;
  }

  public boolean exists() {
    return Files.isDirectory(dir);
  }

  public List<Path> files() {
    return List.copyOf(texts.keySet());
  }

  /**
   * The first runbook that mentions a capability, by its registered name
   * ({@code communications.stack.status}) or as a command ({@code comms stack.status}, {@code bin/comms …}).
   * A longer name does not count: {@code comms mail.send.test} does not mention {@code mail.send}.
   */
  public Optional<Path> mentioning(String capability, String command) {
    Pattern p =
        Pattern.compile(
            "(?<![\\w.-])(?:" + Pattern.quote(capability) + "|comms\\s+" + Pattern.quote(command) + ")(?![\\w-]|\\.\\w)");
    return texts.entrySet().stream().filter(e -> p.matcher(e.getValue()).find()).map(Map.Entry::getKey).findFirst();
  }
}
