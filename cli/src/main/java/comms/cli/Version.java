package comms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * `comms --version`: the build's version. In the jar it is the manifest's Implementation-Version,
 * which the JVM already read (and the start-up archive holds); from a classes folder (tests) it is
 * the resource Maven filters.
 */
public final class Version implements IVersionProvider {
  public static String version() {
    return Stamped.VERSION;
  }

  /**
   * Read once per process: picocli asks the root's version provider again for every subcommand it
   * inherits attributes into, and each read opens the jar's resource.
   */
  private static final class Stamped {
    static final String VERSION = read();
  }

  private static String read() {
    Package pkg = Version.class.getPackage();
    String stamped = pkg == null ? null : pkg.getImplementationVersion();
    if (stamped != null && !stamped.isBlank()) {
      return stamped;
    }
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/comms-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"comms " + version(), "Java " + System.getProperty("java.version")};
  }
}
