package comms.cli.mcp;

import comms.cli.App;
import comms.cli.Version;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.approval.ApprovalRequired;
import comms.core.json.Json;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every transport serves, the same on stdio, on `comms mcp --listen` and on serve's /mcp: the
 * {@link AgentTools} (each also under its personalize_ alias) and, read-only, the generated AGENTS.md
 * and each contract. A call runs in the invocation {@code invocation} names for it: the one run of
 * stdio and --listen, or the authenticated request's own on serve, so the operator is always the one
 * the session was started (or the request signed) for.
 */
final class McpFeatures {
  /** How long a person may take to answer an elicitation (a send's approval). */
  static final Duration HUMAN_TIMEOUT = Duration.ofMinutes(10);

  /** The generated usage contract, as a resource. */
  static final String AGENTS_URI = "comms://AGENTS.md";

  private final App app;
  private final Function<McpSyncServerExchange, App> invocation;
  private final Object oneCallAtATime;
  private final List<Map<String, Object>> calls;

  /**
   * {@code app}: the serving invocation (its contracts name the tools and resources). {@code oneRun}:
   * every call runs in that one invocation (stdio, --listen): they share its store connection, so they
   * run one at a time, and they are noted for the run's receipt. Otherwise (serve) each call has its
   * own request's invocation and nothing is kept.
   */
  McpFeatures(App app, Function<McpSyncServerExchange, App> invocation, boolean oneRun) {
    this.app = app;
    this.invocation = invocation;
    this.oneCallAtATime = oneRun ? new Object() : null;
    this.calls = oneRun ? new ArrayList<>() : null;
  }

  /** The calls made so far (tool and exit code; no arguments: they hold recipients), for a session's receipt. */
  List<Map<String, Object>> calls() {
    if (calls == null) {
      return List.of();
    }
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** {@code spec} (any transport's) with comms's server info, tools and resources. */
  McpSyncServer build(McpServer.SyncSpecification<?> spec, String instructions) {
    List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
    for (AgentTool t : new AgentTools(app).all()) {
      tools.add(spec(t, t.name()));
      tools.add(spec(t, AgentTool.ALIAS_PREFIX + t.name()));
    }
    return spec.serverInfo("comms", Version.version())
        .instructions(instructions)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
        .requestTimeout(HUMAN_TIMEOUT)
        .tools(tools)
        .resources(resources())
        .build();
  }

  private List<McpServerFeatures.SyncResourceSpecification> resources() {
    List<McpServerFeatures.SyncResourceSpecification> out = new ArrayList<>();
    McpSchema.Resource agents =
        McpSchema.Resource.builder().uri(AGENTS_URI).name("AGENTS.md").title("AGENTS.md").mimeType("text/markdown")
            .description("The usage contract for agents, generated from the contracts this server enforces (read-only).").build();
    out.add(new McpServerFeatures.SyncResourceSpecification(
        agents, (exchange, request) -> text(AGENTS_URI, "text/markdown", comms.cli.serve.AgentsDoc.render(app))));
    for (ContractResources.Contract c : ContractResources.in(app.bindingsDir())) {
      McpSchema.Resource r =
          McpSchema.Resource.builder().uri(c.uri()).name(c.name()).title(c.name()).mimeType(c.mimeType())
              .description("The contract " + c.name() + " comms runs under (read-only).").build();
      out.add(new McpServerFeatures.SyncResourceSpecification(r, (exchange, request) -> text(c.uri(), c.mimeType(), c.text())));
    }
    return out;
  }

  private static McpSchema.ReadResourceResult text(String uri, String mime, String text) {
    return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, mime, text)));
  }

  private McpServerFeatures.SyncToolSpecification spec(AgentTool t, String name) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder()
            .name(name)
            .title(t.title())
            .description(t.description())
            .inputSchema(t.input())
            .outputSchema(t.output())
            .annotations(new McpSchema.ToolAnnotations(t.title(), t.readOnly(), !t.readOnly(), false, false, null))
            .build();
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> call(t.name(), name, exchange, request))
        .build();
  }

  private McpSchema.CallToolResult call(String base, String name, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    if (oneCallAtATime == null) {
      return run(base, name, exchange, request);
    }
    synchronized (oneCallAtATime) {
      return run(base, name, exchange, request);
    }
  }

  private McpSchema.CallToolResult run(String base, String name, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    McpSchema.CallToolResult result;
    try {
      AgentTool t = tool(invocation.apply(exchange), base);
      Map<String, Object> out = t.call().run(new Arguments(name, request.arguments()), new Elicitation(exchange));
      result = McpSchema.CallToolResult.builder().structuredContent(out).addTextContent(Json.write(out)).build();
    } catch (CommsException e) {
      result = refusal(e);
    } catch (RuntimeException e) {
      result = refusal(new CommsException(ExitCode.INTERNAL, "internal error: " + e, e));
    }
    if (calls != null) {
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("tool", name);
      call.put("exit_code", Boolean.TRUE.equals(result.isError()) ? ((Map<?, ?>) ((Map<?, ?>) result.structuredContent()).get("error")).get("exit_code") : 0);
      synchronized (calls) {
        calls.add(call);
      }
    }
    return result;
  }

  /** The tool {@code base} bound to the call's invocation (so to its operator). */
  private static AgentTool tool(App invocation, String base) {
    for (AgentTool t : new AgentTools(invocation).all()) {
      if (t.name().equals(base)) {
        return t;
      }
    }
    throw new IllegalStateException("no tool " + base);
  }

  /** A refused call as a tool error: the sentence (naming the gate when one applies) and the same as a structured error. */
  static McpSchema.CallToolResult refusal(CommsException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("exit_code", e.exitCode().code());
    error.put("kind", e.exitCode().kind());
    String text = e.getMessage();
    if (e instanceof ApprovalRequired a) {
      error.put("gate", a.gate());
      if (a.tier() != null) {
        error.put("tier", a.tier());
      }
      text = "refused by the " + a.gate() + " approval gate" + (a.tier() == null ? "" : " (" + a.tier() + " recipients)") + ": " + text;
    }
    error.put("message", text);
    if (e.source() != null) {
      error.put("source", e.source().toString());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    if (e instanceof ToolRefusal r) {
      body.put("result", r.result());
    }
    return McpSchema.CallToolResult.builder().isError(true).structuredContent(body).addTextContent(text).build();
  }

  /** The person behind the client, asked through MCP elicitation when the client declared it. */
  private record Elicitation(McpSyncServerExchange exchange) implements AgentTool.Human {
    @Override
    public boolean reachable() {
      McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
      return caps != null && caps.elicitation() != null;
    }

    @Override
    public boolean approve(String summary) {
      Map<String, Object> approve = new LinkedHashMap<>();
      approve.put("type", "boolean");
      approve.put("title", "Send it");
      approve.put("description", "True sends exactly this message; anything else sends nothing.");
      Map<String, Object> schema = new LinkedHashMap<>();
      schema.put("type", "object");
      schema.put("properties", Map.of("approve", approve));
      schema.put("required", List.of("approve"));
      McpSchema.ElicitResult r =
          exchange.createElicitation(
              McpSchema.ElicitRequest.builder().message(summary + "\n\nAn agent asks to send this. Approve only if you, a person, want it sent.").requestedSchema(schema).build());
      return r != null && r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null && Boolean.TRUE.equals(r.content().get("approve"));
    }
  }
}
