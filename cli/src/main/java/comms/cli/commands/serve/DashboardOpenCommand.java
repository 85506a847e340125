package comms.cli.commands.serve;

import comms.cli.App;
import comms.cli.serve.BearerTokens;
import comms.core.CommsException;
import comms.core.operator.Identity;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms dashboard.open --as EMAIL`: a one-time login link to the dashboard of comms serve. */
@Command(
    name = "dashboard.open",
    description = {
      "Print a one-time dashboard login link.",
      "The link holds a token signed with COMMS_JWT_SECRET for the operator (--as); comms serve accepts it once, within 60 seconds, and opens a session cookie (HttpOnly, SameSite=Strict, 15 minutes) on its read-only dashboard. An admin sees every operator, an operator their own.",
      "Open the link in a browser on the machine (or behind the proxy) where comms serve runs."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  comms dashboard.open --as sam@lakesideprint.com --url ftp://x   # exit 2"})
public final class DashboardOpenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8787", description = "Where comms serve answers (default ${DEFAULT-VALUE}).")
  String url;

  @Override
  public Integer call() {
    App app = App.of(spec);
    String base = base(url);
    Identity who = app.identity();
    String token = BearerTokens.from(app.env(), app.clock()).mint(who.owner(), BearerTokens.Scope.LOGIN, BearerTokens.LOGIN_LIFETIME);
    app.out().println(base + "/dashboard/login?token=" + token);
    app.out().flush();
    app.err().println("comms: the link works once, within " + BearerTokens.LOGIN_LIFETIME.toSeconds() + " seconds, for " + who.owner());
    app.err().flush();
    return 0;
  }

  static String base(String url) {
    try {
      URI u = new URI(url.strip());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw CommsException.usage("--url '" + url + "' must be the http:// or https:// address comms serve answers at, such as http://127.0.0.1:8787");
      }
      String s = u.toString();
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    } catch (URISyntaxException e) {
      throw CommsException.usage("--url '" + url + "' is not a URL (" + e.getReason() + ")");
    }
  }
}
