package comms.cli.mcp;

import com.sun.net.httpserver.HttpExchange;
import comms.cli.App;
import comms.core.operator.Identity;
import java.io.IOException;
import java.util.List;

/**
 * comms serve's /mcp: the same MCP server as `comms mcp`, over Streamable HTTP, where serve has already
 * authenticated the request (the operator's bearer token, the serve rules, one verifier) before it gets
 * here. Each call runs in that request's own invocation, so as the token's operator; a session opened
 * by one operator refuses another's requests. The SDK is loaded on the first /mcp request, not when
 * serve starts.
 */
public final class ServeMount {
  /** The actor of an /mcp request without X-Actor: an agent, as on stdio. */
  static final String ACTOR = McpCommand.DEFAULT_ACTOR;

  private final App serving;
  private final List<String> publicHosts;
  private final int maxBody;
  private Built built;

  /** {@code publicHosts}: the Host names (a TLS proxy's) /mcp answers to besides loopback. */
  public ServeMount(App serving, List<String> publicHosts, int maxBody) {
    this.serving = serving;
    this.publicHosts = List.copyOf(publicHosts);
    this.maxBody = maxBody;
  }

  /** The actor of an /mcp request that names none. */
  public static String defaultActor() {
    return ACTOR;
  }

  /** Answers one authenticated request for {@code who}, running its tool calls in {@code request}. */
  public void handle(HttpExchange ex, App request, Identity who) throws IOException {
    built().handle(ex, request, who);
  }

  private synchronized Built built() {
    if (built == null) {
      built = new Built(serving, publicHosts, maxBody);
    }
    return built;
  }

  /** The SDK's server and the transport, built once; a separate class so that loading ServeMount loads no SDK type. */
  private static final class Built {
    static final String APP = "comms.app";
    final StreamableHttp transport;

    Built(App serving, List<String> publicHosts, int maxBody) {
      transport = new StreamableHttp(io.modelcontextprotocol.json.McpJsonDefaults.getMapper(), StreamableHttp.guard(publicHosts), maxBody);
      McpFeatures features = new McpFeatures(serving, exchange -> (App) exchange.transportContext().get(APP), false);
      features.build(
          io.modelcontextprotocol.server.McpServer.sync(transport),
          "comms governs outbound email and SMS. You act for the operator whose bearer token each request carries (and as the agent X-Actor names):"
              + " their sequences, caps, suppression list and audit trail; you cannot act as anyone else. Recipient-count gates take the approval a person"
              + " recorded (approval argument); a transactional send is approved by a person through elicitation.");
    }

    void handle(HttpExchange ex, App request, Identity who) throws IOException {
      try {
        transport.handle(ex, who.owner(), io.modelcontextprotocol.common.McpTransportContext.create(java.util.Map.of(APP, request)));
      } catch (RuntimeException e) {
        try {
          StreamableHttp.error(ex, 500, -32603, "internal error; the server's log has the details");
        } catch (IOException | RuntimeException alreadyAnswering) {
          // the answer had begun; the connection just ends
        }
        throw e; // serve logs it
      }
    }
  }
}
