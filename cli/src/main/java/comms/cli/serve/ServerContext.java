package comms.cli.serve;

import comms.cli.App;
import java.time.Clock;

/**
 * What route groups share for the server's life: the serving invocation (contracts, environment,
 * options), the token issuer, the dashboard sessions, whether it sits behind a TLS proxy, the public
 * Host names /mcp answers to besides loopback, and the request body limit.
 */
public record ServerContext(App app, BearerTokens tokens, Sessions sessions, boolean behindTls, Router router, java.util.List<String> mcpHosts, int maxBody) {
  public Clock clock() {
    return app.clock();
  }
}
