package comms.cli.mcp;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * `comms mcp --as OPERATOR [--actor agent:NAME]`: the agent tools over MCP on stdio. Holds no MCP SDK
 * type, so listing or parsing this command never loads the SDK; {@link StdioServer} does, once it runs.
 */
@Command(
    name = "mcp",
    description = {
      "Serve the agent tools over MCP on stdio.",
      "An MCP client (Claude Desktop, the MCP inspector, an agent) starts this and talks JSON-RPC on stdin and stdout until it closes stdin. Tools: get_status, list_sequences, search_snippets, audit, create_sequence, add_recipients, launch_sequence, pause_sequence, resume_sequence, stop_sequence, preview_send, send_transactional (each also as personalize_NAME). Resources: the contracts, read-only.",
      "The agent acts as the operator named by --as (or COMMS_OPERATOR), with their caps, suppression list and sequences, never as another; audit rows name --actor (default agent:mcp). Count gates take the approval as the tool's approval argument; a transactional send is asked of a person through MCP elicitation and refused when the client cannot ask."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms mcp --as sam@lakesideprint.com --actor agent:claude",
      "  comms mcp --as dana@lakesideprint.com"
    })
public final class McpCommand implements Callable<Integer> {
  /** The actor when --actor is not given: an agent, never the operator themself. */
  public static final String DEFAULT_ACTOR = "agent:mcp";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (app.options().as() == null && (app.env().get("COMMS_OPERATOR") == null || app.env().get("COMMS_OPERATOR").isBlank())) {
      throw new CommsException(
          ExitCode.USAGE, "comms mcp needs the operator the agent acts for: --as EMAIL (or COMMS_OPERATOR); it never falls back to the default operator");
    }
    app.options().defaultActor(DEFAULT_ACTOR);
    return StdioServer.serve(app);
  }
}
