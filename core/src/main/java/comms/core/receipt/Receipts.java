package comms.core.receipt;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.outbox.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The receipts folder of an outbox: one YAML document per run, named by its run key. */
public final class Receipts {
  private final comms.core.outbox.OutboxPaths paths;
  private final Path dir;

  public Receipts(Path outbox) {
    this.paths = new comms.core.outbox.OutboxPaths(outbox);
    this.dir = paths.receipts();
  }

  public Path dir() {
    return dir;
  }

  public Path path(String runKey) {
    if (!RunKey.valid(runKey)) {
      throw new CommsException(ExitCode.USAGE, "'" + runKey + "' is not a run key (like 20261122T041500123Z-3f9a2c7b1d04)");
    }
    return paths.receipt(runKey);
  }

  /** Writes the receipt for {@code runKey}; the tree must already be redacted. */
  public Path write(String runKey, Map<String, Object> receipt) {
    Path p = path(runKey);
    AtomicFile.write(p, comms.core.json.Yaml.dump(receipt));
    return p;
  }

  /** Run keys, newest first. */
  public List<String> list(int limit) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5))
          .filter(RunKey::valid)
          .forEach(keys::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    keys.sort(Comparator.reverseOrder());
    return List.copyOf(keys.subList(0, Math.min(limit, keys.size())));
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> read(String runKey) {
    Path p = path(runKey);
    if (!Files.exists(p)) {
      throw new CommsException(ExitCode.USAGE, "no receipt " + runKey + " in " + dir + "; `comms receipts.list` shows the run keys");
    }
    try {
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(p));
      if (!(doc instanceof Map)) {
        throw new CommsException(ExitCode.CONTRACT, "receipt " + p + " is not a YAML mapping");
      }
      return (Map<String, Object>) doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
