package comms.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the shared third-party references live: {@code shared/peers/} (the providers' API
 * descriptions and the mock-server script, and public test corpora), which the tests read and never
 * copy. Looked for, in order:
 *
 * <ol>
 *   <li>{@code $COMMS_PEERS} (or {@code -Dcomms.peers}), when set;
 *   <li>{@code shared/peers} in the working folder or any folder above it (the checkout sits beside
 *       {@code shared/});
 *   <li>the same, above the repository this checkout was cloned from, when that is a folder on this
 *       machine (a fresh clone in a temporary folder, {@code git clone . $(mktemp -d)}, still finds
 *       the references beside the original).
 * </ol>
 */
public final class SharedPeers {
  private SharedPeers() {}

  /** The {@code shared/peers} folder, or an AssertionError that says where it was looked for. */
  public static Path folder() {
    List<String> looked = new ArrayList<>();
    String set = System.getProperty("comms.peers", System.getenv("COMMS_PEERS"));
    if (set != null && !set.isBlank()) {
      Path p = Path.of(set).toAbsolutePath();
      if (Files.isDirectory(p)) {
        return p;
      }
      throw new AssertionError("COMMS_PEERS is " + set + ", which is not a folder; point it at shared/peers");
    }
    Path start = Path.of("").toAbsolutePath();
    Path found = above(start);
    if (found != null) {
      return found;
    }
    looked.add(start + " and the folders above it");
    Path origin = cloneOrigin(start);
    if (origin != null) {
      found = above(origin);
      if (found != null) {
        return found;
      }
      looked.add(origin + " (this clone's origin) and the folders above it");
    }
    throw new AssertionError(
        "shared/peers/ not found in " + String.join(", nor in ", looked) + "; the tests read the providers' API descriptions"
            + " and public corpora from shared/peers/ beside the project: clone beside shared/, or set COMMS_PEERS to its path");
  }

  /** {@code shared/peers/<relative>}, which must exist. */
  public static Path file(String relative) {
    Path p = folder().resolve(relative);
    if (!Files.exists(p)) {
      throw new AssertionError("shared corpus file missing: " + p);
    }
    return p;
  }

  private static Path above(Path from) {
    for (Path d = from; d != null; d = d.getParent()) {
      Path p = d.resolve("shared").resolve("peers");
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  /** The local folder {@code origin} points at in the checkout holding {@code from}; null when it is not one. */
  static Path cloneOrigin(Path from) {
    for (Path d = from; d != null; d = d.getParent()) {
      Path config = d.resolve(".git").resolve("config");
      if (!Files.isRegularFile(config)) {
        continue;
      }
      try {
        boolean inOrigin = false;
        for (String line : Files.readAllLines(config)) {
          String t = line.trim();
          if (t.startsWith("[")) {
            inOrigin = t.equals("[remote \"origin\"]");
          } else if (inOrigin && t.startsWith("url") && t.contains("=")) {
            String url = t.substring(t.indexOf('=') + 1).trim();
            if (url.startsWith("file://")) {
              url = url.substring("file://".length());
            }
            Path p = url.startsWith("/") ? Path.of(url) : null;
            return p != null && Files.isDirectory(p) ? p : null;
          }
        }
      } catch (IOException e) {
        return null;
      }
      return null;
    }
    return null;
  }
}
