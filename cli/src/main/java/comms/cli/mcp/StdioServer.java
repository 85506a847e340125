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
  private final App app;
  private final Identity who;
  private final McpFeatures features;

  private StdioServer(App app, Identity who) {
    this.app = app;
    this.who = who;
    this.features = new McpFeatures(app, exchange -> app, true);
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
    receipt(app, who, started, session.features.calls(), "stdio");
    return ExitCode.OK.code();
  }

  /**
   * The session's receipt (receipts/&lt;run-key&gt;.yaml), when it called a tool: the run key its audit rows
   * carry, who acted for whom, and each call's tool and exit code (no arguments: they hold recipients).
   */
  static void receipt(App app, Identity who, java.time.Instant started, List<Map<String, Object>> done, String transport) {
    if (done.isEmpty()) {
      return;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run_key", app.runKey());
    r.put("capability", "mcp");
    r.put("command", "mcp");
    r.put("mode", app.bindings().delivery().live() ? "live" : "simulation");
    r.put("approval", "per call");
    r.put("transport", transport);
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
    return features.build(McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, out)), instructions(who));
  }

  /** What the server tells the agent at initialize: who it acts as, and how approvals work. */
  static String instructions(Identity who) {
    return "comms governs outbound email and SMS. You act as " + who.actor() + " for the operator " + who.owner()
        + ": their sequences, caps, suppression list and audit trail; you cannot act as anyone else. Recipient-count gates take"
        + " the approval a person recorded (approval argument); a transactional send is approved by a person through elicitation.";
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
