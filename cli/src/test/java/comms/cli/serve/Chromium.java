package comms.cli.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes sure Debian's chromium and chromium-driver are installed before a browser test, once per test
 * JVM, by running the project's {@code .ci/chromium} (apt-get install when missing), as the provider
 * tests start the Prism mocks through {@code shared/peers/mocks}.
 */
public final class Chromium implements BeforeAllCallback {
  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static volatile boolean ready;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ensure();
  }

  static synchronized void ensure() throws IOException, InterruptedException {
    if (ready || (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER))) {
      ready = true;
      return;
    }
    Path script = ServeFixture.ROOT.resolve(".ci").resolve("chromium");
    Path log = Files.createTempFile("comms-chromium-", ".log");
    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroy();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      throw new AssertionError("could not install chromium and chromium-driver with " + script + ":\n" + (out.length() > 3000 ? out.substring(out.length() - 3000) : out));
    }
    ready = true;
  }
}
