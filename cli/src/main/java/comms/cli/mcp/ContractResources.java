package comms.cli.mcp;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The contracts an agent may read (every YAML contract in the bindings and their JSON Schemas), as read-only resources. */
final class ContractResources {
  static final String SCHEME = "comms://bindings/";

  /** One contract file: its URI, file name, media type and path. */
  record Contract(String uri, String name, String mimeType, Path file) {
    String text() {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new CommsException(ExitCode.CONTRACT, "cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  private ContractResources() {}

  /** The contracts in {@code bindings}, then its schemas, each sorted by name. */
  static List<Contract> in(Path bindings) {
    List<Contract> out = new ArrayList<>();
    add(out, bindings, "", ".yaml", "application/yaml");
    add(out, bindings.resolve("schemas"), "schemas/", ".json", "application/schema+json");
    return out;
  }

  private static void add(List<Contract> out, Path dir, String prefix, String suffix, String mime) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(suffix))
          .sorted()
          .forEach(f -> out.add(new Contract(SCHEME + prefix + f.getFileName(), prefix + f.getFileName(), mime, f)));
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot list the contracts in " + dir + ": " + e.getMessage());
    }
  }
}
