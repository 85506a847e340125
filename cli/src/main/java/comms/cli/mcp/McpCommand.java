package comms.cli.mcp;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `comms mcp --as OPERATOR [--actor agent:NAME]`: the agent tools over MCP on stdio. Holds no MCP SDK
 * type, so listing or parsing this command never loads the SDK; {@link StdioServer} does, once it runs.
 */
@Command(
    name = "mcp",
    description = {
      "Serve the agent tools over MCP on stdio or HTTP.",
      "An MCP client (Claude Desktop, the MCP inspector, an agent) starts this and talks JSON-RPC on stdin and stdout until it closes stdin. Tools: get_status, list_sequences, search_snippets, audit, create_sequence, add_recipients, launch_sequence, pause_sequence, resume_sequence, stop_sequence, preview_send, send_transactional (each also as personalize_NAME). Resources: the generated AGENTS.md and the contracts, read-only.",
      "With --listen 127.0.0.1:PORT it serves Streamable HTTP at http://127.0.0.1:PORT/mcp instead, on loopback only (a non-loopback address is refused), for the same one operator, checking Host and Origin against DNS rebinding; SIGTERM or Ctrl-C stops it. Remote agents use comms serve's /mcp, with a bearer token on every request.",
      "The agent acts as the operator named by --as (or COMMS_OPERATOR), with their caps, suppression list and sequences, never as another; audit rows name --actor (default agent:mcp). Count gates take the approval as the tool's approval argument; a transactional send is asked of a person through MCP elicitation and refused when the client cannot ask."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms mcp --as sam@lakesideprint.com --actor agent:claude",
      "  comms mcp --as dana@lakesideprint.com",
      "  comms mcp --listen 10.0.0.5:8788 --as sam@lakesideprint.com   # exit 2"
    })
public final class McpCommand implements Callable<Integer> {
  /** The actor when --actor is not given: an agent, never the operator themself. */
  public static final String DEFAULT_ACTOR = "agent:mcp";

  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio; HOST must be loopback (port 0 picks a free one).")
  String listen;

  @Override
  public Integer call() throws InterruptedException {
    App app = App.of(spec);
    if (app.options().as() == null && (app.env().get("COMMS_OPERATOR") == null || app.env().get("COMMS_OPERATOR").isBlank())) {
      throw new CommsException(
          ExitCode.USAGE, "comms mcp needs the operator the agent acts for: --as EMAIL (or COMMS_OPERATOR); it never falls back to the default operator");
    }
    app.options().defaultActor(DEFAULT_ACTOR);
    if (listen != null) {
      return ListenServer.serve(app, comms.cli.commands.serve.ServeCommand.address(listen, true));
    }
    return StdioServer.serve(app);
  }
}
