package comms.cli.serve;

import comms.cli.App;
import comms.cli.mcp.ServeMount;
import comms.core.operator.Identity;
import java.io.IOException;

/**
 * /mcp: the agent tools over MCP Streamable HTTP, behind the same bearer-token authentication as every
 * other endpoint (so an operator's token on each request, and that operator only). GET answers 405: no
 * standalone event stream is offered.
 */
final class McpRoutes implements RouteSet {
  static final String PATH = "/mcp";

  @Override
  public void register(Router r, ServerContext ctx) {
    ServeMount mount = new ServeMount(ctx.app(), ctx.mcpHosts(), ctx.maxBody());
    Router.Handler h = call -> handle(call, ctx, mount);
    r.post(PATH, Router.Access.BEARER, h);
    r.add("DELETE", PATH, Router.Access.BEARER, h);
  }

  private static void handle(HttpCall call, ServerContext ctx, ServeMount mount) {
    Identity who = call.who();
    App request = call.app();
    App own = null;
    if (call.header("X-Actor") == null || call.header("X-Actor").isBlank()) {
      // Without X-Actor the rows name an agent (as comms mcp's do), not "api": this endpoint is for agents.
      own = ctx.app().forRequest();
      own.actAs(new Identity(who.operator(), ServeMount.defaultActor(), who.osUser()));
      request = own;
      who = own.identity();
    }
    com.sun.net.httpserver.HttpExchange exchange = call.takeOver();
    try {
      mount.handle(exchange, request, who);
    } catch (IOException e) {
      // the client went away
    } finally {
      exchange.close();
      if (own != null) {
        own.close();
      }
    }
  }
}
