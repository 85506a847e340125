package comms.core.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the provider SDKs silent. They log through SLF4J (no-op in the CLI), java.util.logging
 * (OkHttp, Reactor) and Azure's own fallback logger, which writes to stderr whenever
 * AZURE_LOG_LEVEL is set. The CLI's {@code --verbose} shows our own one-line HTTP trace instead.
 */
final class SdkQuiet {
  // java.util.logging holds loggers weakly: keep them, or the level set here is forgotten.
  private static final List<Logger> HELD = new ArrayList<>();
  private static boolean done;

  private SdkQuiet() {}

  static synchronized void apply() {
    if (done) {
      return;
    }
    done = true;
    for (String name : new String[] {"okhttp3", "com.azure", "com.microsoft", "com.twilio", "org.apache.hc", "reactor", "io.opentelemetry"}) {
      Logger l = Logger.getLogger(name);
      l.setLevel(Level.OFF);
      HELD.add(l);
    }
    // Azure's fallback logger (used when SLF4J is the no-op one) reads this, system property before
    // environment; 5 is its NOT_SET level, above ERROR, so it logs nothing.
    System.setProperty("AZURE_LOG_LEVEL", "5");
    System.setProperty("AZURE_HTTP_LOG_DETAIL_LEVEL", "NONE");
  }
}
