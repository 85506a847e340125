package comms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** `comms --version`: the build's version, stamped in by Maven resource filtering. */
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
