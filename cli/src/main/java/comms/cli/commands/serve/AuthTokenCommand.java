package comms.cli.commands.serve;

import comms.cli.App;
import comms.cli.output.Format;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.cli.serve.BearerTokens;
import comms.core.CommsException;
import comms.core.operator.Identity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms auth.token --as EMAIL`: a short-lived bearer token for comms serve, printed and never stored. */
@Command(
    name = "auth.token",
    description = {
      "Print a short-lived token for comms serve.",
      "Signs an HS256 token for the operator (--as) with the secret in COMMS_JWT_SECRET, valid for --ttl (at most 15 minutes). It is printed once on stdout and written nowhere: not to a file, the receipt or the audit log.",
      "Meant for local use and tests; in production the identity provider issues the tokens with the same secret."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  comms auth.token --as sam@lakesideprint.com --ttl 20m   # exit 2"})
public final class AuthTokenCommand implements Callable<Integer> {
  private static final Pattern TTL = Pattern.compile("(\\d{1,6})([sm])");

  @Spec CommandSpec spec;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "15m", description = "How long the token lives: 90s, 5m, up to 15m (default ${DEFAULT-VALUE}).")
  String ttl;

  record TokenView(String operator, String token, String expiresAt) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("operator", operator);
      m.put("token_type", "Bearer");
      m.put("token", token);
      m.put("expires_at", expiresAt);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.line(token);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Duration lifetime = lifetime(ttl, BearerTokens.API_LIFETIME, "--ttl");
    Identity who = app.identity();
    String token = BearerTokens.from(app.env(), app.clock()).mint(who.owner(), BearerTokens.Scope.API, lifetime);
    String expires = app.clock().instant().plus(lifetime).toString();
    if (app.options().output() == Format.table) {
      app.out().println(token);
      app.out().flush();
    } else {
      app.render(new TokenView(who.owner(), token, expires));
    }
    return 0;
  }

  /** 90s or 5m, more than zero and at most {@code max}; a usage error otherwise. */
  static Duration lifetime(String text, Duration max, String option) {
    Matcher m = TTL.matcher(text.strip());
    if (!m.matches()) {
      throw CommsException.usage(option + " '" + text + "' must be seconds or minutes such as 90s or 5m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    if (d.isZero() || d.compareTo(max) > 0) {
      throw CommsException.usage(option + " " + text + " is out of range: a token lives more than 0 and at most " + max.toMinutes() + " minutes");
    }
    return d;
  }
}
