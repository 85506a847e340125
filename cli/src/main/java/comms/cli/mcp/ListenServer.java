package comms.cli.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.Identity;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * `comms mcp --listen 127.0.0.1:PORT`: the same server as on stdio, over Streamable HTTP at /mcp on a
 * loopback address, for the run's one identity (no token: only this machine can reach it, and Host and
 * Origin are checked against DNS rebinding). Until SIGTERM or Ctrl-C.
 */
public final class ListenServer implements AutoCloseable {
  static final int MAX_BODY = 4 * 1024 * 1024;

  private final App app;
  private final Identity who;
  private final McpFeatures features;
  private final McpSyncServer mcp;
  private final HttpServer http;
  private final ExecutorService pool;
  private final Instant started = java.time.Clock.systemUTC().instant();

  private ListenServer(App app, InetSocketAddress address) throws IOException {
    this.app = app;
    this.who = app.identity();
    this.features = new McpFeatures(app, exchange -> app, true);
    StreamableHttp transport = new StreamableHttp(McpJsonDefaults.getMapper(), StreamableHttp.guard(List.of()), MAX_BODY);
    this.mcp = features.build(McpServer.sync(transport), StdioServer.instructions(who));
    this.http = HttpServer.create(address, 64);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(8, r -> new Thread(r, "comms-mcp-http-" + n.incrementAndGet()));
    http.setExecutor(pool);
    http.createContext("/", ex -> answer(ex, transport));
    http.start();
  }

  /** Starts listening on {@code address}, which must be loopback (exit 2 otherwise). */
  public static ListenServer start(App app, InetSocketAddress address) {
    if (!address.getAddress().isLoopbackAddress()) {
      throw CommsException.usage(
          "--listen " + address.getAddress().getHostAddress() + ":" + address.getPort() + " is not a loopback address; comms mcp --listen serves one operator"
              + " without a token, so it listens on 127.0.0.1 (or ::1) only. For remote agents use comms serve, where /mcp takes each operator's bearer token");
    }
    try {
      return new ListenServer(app, address);
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot listen on " + address + " (" + e.getMessage() + "); is another server on that port? Choose another with --listen");
    }
  }

  /** Serves until the process is told to stop; returns the exit code. */
  public static int serve(App app, InetSocketAddress address) throws InterruptedException {
    ListenServer s = start(app, address);
    app.out().println("comms mcp: serving " + s.who.actor() + " acting for " + s.who.owner() + " on " + s.url() + " (Streamable HTTP; SIGTERM or Ctrl-C stops it)");
    app.out().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      s.close();
      app.err().println("comms mcp: stopped");
      app.err().flush();
      stopped.countDown();
    }, "comms-mcp-shutdown"));
    stopped.await();
    return ExitCode.OK.code();
  }

  /** The endpoint's URL, with the port actually bound. */
  public String url() {
    InetSocketAddress a = http.getAddress();
    String h = a.getAddress().getHostAddress();
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort() + StreamableHttp.PATH;
  }

  private void answer(HttpExchange ex, StreamableHttp transport) {
    try {
      if (!StreamableHttp.PATH.equals(ex.getRequestURI().getPath())) {
        StreamableHttp.error(ex, 404, -32600, "no endpoint " + ex.getRequestURI().getPath() + "; MCP is served at " + StreamableHttp.PATH);
      } else {
        transport.handle(ex, who.owner(), McpTransportContext.EMPTY);
      }
    } catch (IOException e) {
      // the client went away
    } catch (RuntimeException e) {
      synchronized (app.err()) {
        app.err().println("comms mcp: internal error on " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + ": " + e);
        e.printStackTrace(app.err());
        app.err().flush();
      }
      try {
        StreamableHttp.error(ex, 500, -32603, "internal error; the server's log has the details");
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent
      }
    } finally {
      ex.close();
    }
  }

  /** Ends the sessions, stops listening, and writes the session's receipt. */
  @Override
  public void close() {
    mcp.closeGracefully();
    http.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    StdioServer.receipt(app, who, started, features.calls(), "http");
  }
}
