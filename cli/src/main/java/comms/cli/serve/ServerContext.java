package comms.cli.serve;

import comms.cli.App;
import java.time.Clock;

/**
 * What route groups share for the server's life: the serving invocation (contracts, environment,
 * options), the token issuer, the dashboard sessions, and whether it sits behind a TLS proxy.
 */
public record ServerContext(App app, BearerTokens tokens, Sessions sessions, boolean behindTls, Router router) {
  public Clock clock() {
    return app.clock();
  }
}
