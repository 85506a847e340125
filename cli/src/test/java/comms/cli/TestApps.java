package comms.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** An invocation for tests in other packages that drive a front end (comms serve) without the command line. */
public final class TestApps {
  private TestApps() {}

  public static App app(Map<String, String> env, PrintWriter out, PrintWriter err) {
    return new App(InputStream.nullInputStream(), out, err, env);
  }
}
