package comms.cli.mcp;

import comms.cli.App;
import comms.cli.Version;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.approval.ApprovalRequired;
import comms.core.json.Json;
import comms.core.operator.Identity;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * `comms mcp` on stdio: the official MCP Java SDK serving {@link AgentTools} (each also under its
 * personalize_ alias) and the contracts as resources, for the run's one identity, until stdin closes.
 * The only class that touches the SDK, so no other command loads it.
 */
public final class StdioServer {
  /** How long a person may take to answer an elicitation (a send's approval). */
  static final Duration HUMAN_TIMEOUT = Duration.ofMinutes(10);

  private final App app;
  private final Identity who;
  private final Object oneCallAtATime = new Object();
  private final List<Map<String, Object>> calls = new ArrayList<>();

  private StdioServer(App app, Identity who) {
    this.app = app;
    this.who = who;
  }

  /** Serves on the run's stdin and stdout until the client closes stdin; returns the exit code. */
  public static int serve(App app) {
    Identity who = app.identity();
    CountDownLatch closed = new CountDownLatch(1);
    LinesTo out = new LinesTo(app.out());
    java.time.Instant started = java.time.Clock.systemUTC().instant();
    StdioServer session = new StdioServer(app, who);
    McpSyncServer server = session.start(new JsonRpcLines(app.in(), out, closed), out);
    app.err().println("comms mcp: serving " + who.actor() + " acting for " + who.owner() + " on stdio; close stdin to stop.");
    app.err().flush();
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.closeGracefully();
    session.receipt(started);
    return ExitCode.OK.code();
  }

  /**
   * The session's receipt (receipts/&lt;run-key&gt;.yaml), when it called a tool: the run key its audit rows
   * carry, who acted for whom, and each call's tool and exit code (no arguments: they hold recipients).
   */
  private void receipt(java.time.Instant started) {
    List<Map<String, Object>> done;
    synchronized (oneCallAtATime) {
      done = List.copyOf(calls);
    }
    if (done.isEmpty()) {
      return;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run_key", app.runKey());
    r.put("capability", "mcp");
    r.put("command", "mcp");
    r.put("mode", app.bindings().delivery().live() ? "live" : "simulation");
    r.put("approval", "per call");
    r.put("operator", who.owner());
    r.put("actor", who.actor());
    r.put("exit_code", 0);
    r.put("started_at", started.toString());
    r.put("finished_at", java.time.Clock.systemUTC().instant().toString());
    r.put("calls", done);
    try {
      new comms.core.receipt.Receipts(app.outboxDir()).write(app.runKey(), r);
    } catch (RuntimeException e) {
      app.warn("could not write the receipt of MCP session " + app.runKey() + ": " + e.getMessage());
    }
  }

  McpSyncServer start(InputStream in, OutputStream out) {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
    for (AgentTool t : new AgentTools(app).all()) {
      tools.add(spec(t, t.name()));
      tools.add(spec(t, AgentTool.ALIAS_PREFIX + t.name()));
    }
    List<McpServerFeatures.SyncResourceSpecification> resources = new ArrayList<>();
    for (ContractResources.Contract c : ContractResources.in(app.bindingsDir())) {
      McpSchema.Resource r =
          McpSchema.Resource.builder().uri(c.uri()).name(c.name()).title(c.name()).mimeType(c.mimeType())
              .description("The contract " + c.name() + " comms runs under (read-only).").build();
      resources.add(
          new McpServerFeatures.SyncResourceSpecification(
              r, (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(c.uri(), c.mimeType(), c.text())))));
    }
    return McpServer.sync(new StdioServerTransportProvider(json, in, out))
        .serverInfo("comms", Version.version())
        .instructions(
            "comms governs outbound email and SMS. You act as " + who.actor() + " for the operator " + who.owner()
                + ": their sequences, caps, suppression list and audit trail; you cannot act as anyone else. Recipient-count gates take"
                + " the approval a person recorded (approval argument); a transactional send is approved by a person through elicitation.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
        .requestTimeout(HUMAN_TIMEOUT)
        .tools(tools)
        .resources(resources)
        .build();
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
        .callHandler((exchange, request) -> call(t, name, exchange, request))
        .build();
  }

  private McpSchema.CallToolResult call(AgentTool t, String name, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    synchronized (oneCallAtATime) {
      McpSchema.CallToolResult result;
      try {
        Map<String, Object> out = t.call().run(new Arguments(name, request.arguments()), new Elicitation(exchange));
        result = McpSchema.CallToolResult.builder().structuredContent(out).addTextContent(Json.write(out)).build();
      } catch (CommsException e) {
        result = refusal(e);
      } catch (RuntimeException e) {
        result = refusal(new CommsException(ExitCode.INTERNAL, "internal error: " + e, e));
      }
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("tool", name);
      call.put("exit_code", Boolean.TRUE.equals(result.isError()) ? ((Map<?, ?>) ((Map<?, ?>) result.structuredContent()).get("error")).get("exit_code") : 0);
      calls.add(call);
      return result;
    }
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

  /** The run's stdout writer as the byte stream the transport writes: each flushed message goes out whole. */
  private static final class LinesTo extends OutputStream {
    private final PrintWriter out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LinesTo(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      pending.write(b, off, len);
    }

    @Override
    public synchronized void flush() {
      out.write(pending.toString(StandardCharsets.UTF_8));
      out.flush();
      pending.reset();
    }
  }
}
