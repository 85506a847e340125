package comms.cli.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table: method, path template ({@code /api/sequences/{id}/launch}), who may call it, and
 * the handler. Endpoint groups add themselves through {@link RouteSet}.
 */
public final class Router {
  /** Who may call a route. */
  public enum Access {
    /** Anyone (health, the usage contract, the login link itself). */
    PUBLIC,
    /** A bearer token of an active operator. */
    BEARER,
    /** A bearer token, or the dashboard's session cookie (read-only pages). */
    BEARER_OR_SESSION
  }

  /** What a route does with a call. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpCall call);
  }

  record Route(String method, String template, Pattern pattern, List<String> names, Access access, Handler handler) {}

  /** A route that matched, with its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  private final List<Route> routes = new ArrayList<>();

  public void get(String template, Access access, Handler h) {
    add("GET", template, access, h);
  }

  public void post(String template, Access access, Handler h) {
    add("POST", template, access, h);
  }

  public void add(String method, String template, Access access, Handler h) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAM.matcher(template);
    StringBuilder re = new StringBuilder();
    int last = 0;
    while (m.find()) {
      re.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    re.append(Pattern.quote(template.substring(last)));
    for (Route r : routes) {
      if (r.method().equals(method) && r.template().equals(template)) {
        throw new IllegalArgumentException("route " + method + " " + template + " is registered twice");
      }
    }
    routes.add(new Route(method, template, Pattern.compile(re.toString()), List.copyOf(names), access, h));
  }

  /** Every route, in the order registered (AGENTS.md lists them). */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The route for {@code method} and {@code path}; null when no route has the path at all. */
  Match match(String method, String path, List<String> allowedOut) {
    Match found = null;
    for (Route r : routes) {
      Matcher m = r.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      allowedOut.add(r.method());
      if (found == null && r.method().equals(method)) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < r.names().size(); i++) {
          params.put(r.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
        }
        found = new Match(r, params);
      }
    }
    return found;
  }
}
