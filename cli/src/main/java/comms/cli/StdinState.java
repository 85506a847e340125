package comms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process was started with its standard input closed ({@code comms … <&-}). The JVM then
 * opens its own files on descriptor 0, so reading "stdin" would read the JVM's module image; on Linux
 * /proc shows where descriptor 0 points, elsewhere nothing is known and the answer is false.
 */
final class StdinState {
  private StdinState() {}

  static boolean closed() {
    Path fd0 = Path.of("/proc/self/fd/0");
    String javaHome = System.getProperty("java.home");
    if (javaHome == null || !Files.isSymbolicLink(fd0)) {
      return false;
    }
    try {
      Path target = Files.readSymbolicLink(fd0);
      return target.isAbsolute() && target.normalize().startsWith(Path.of(javaHome).toRealPath());
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
