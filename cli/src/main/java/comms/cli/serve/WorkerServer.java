package comms.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import comms.cli.App;
import comms.core.CommsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Worker: {@code comms serve}'s HTTP server on the JDK's {@code com.sun.net.httpserver}. Each
 * request is authenticated, runs in its own invocation (its own store connection) and is answered by
 * a thin handler of the same core services the commands call; every failure is the one JSON error
 * shape, and no stack trace leaves the process (it goes to the server's stderr).
 */
public final class WorkerServer implements AutoCloseable {
  /** The endpoint groups, in the order AGENTS.md lists them; one a line, so a new group is one added line. */
  static final List<RouteSet> ROUTE_SETS = List.of(
      new PublicRoutes(),
      new ReadRoutes(),
      new SequenceRoutes(),
      new SnippetRoutes(),
      new ListRoutes(),
      new WebhookRoutes(),
      new DashboardRoutes(),
      new ImessageRoutes(),
      new McpRoutes());

  /** How the server listens. {@code maxBodyBytes} bounds every request body; {@code drain} bounds a shutdown's wait for in-flight requests. */
  public record Settings(InetSocketAddress listen, boolean behindTls, int maxBodyBytes, int threads, Duration drain, List<String> mcpHosts) {
    public static final int DEFAULT_MAX_BODY = 2 * 1024 * 1024;

    /** Settings with no public Host name for /mcp (it answers to loopback names only). */
    public Settings(InetSocketAddress listen, boolean behindTls, int maxBodyBytes, int threads, Duration drain) {
      this(listen, behindTls, maxBodyBytes, threads, drain, List.of());
    }

    public Settings {
      mcpHosts = List.copyOf(mcpHosts);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Settings settings;
  private final PrintWriter log;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ServerContext context;

  private WorkerServer(HttpServer server, ExecutorService pool, Settings settings, ServerContext context) {
    this.server = server;
    this.pool = pool;
    this.settings = settings;
    this.context = context;
    this.log = context.app().err();
  }

  /** Binds and starts serving; the contracts are loaded (and so checked) first. */
  public static WorkerServer start(App app, Settings settings, BearerTokens tokens) throws IOException {
    app.bindings();
    Router router = new Router();
    ServerContext context = new ServerContext(app, tokens, new Sessions(app.clock()), settings.behindTls(), router, settings.mcpHosts(), settings.maxBodyBytes());
    for (RouteSet set : ROUTE_SETS) {
      set.register(router, context);
    }
    HttpServer server = HttpServer.create(settings.listen(), 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        new ThreadPoolExecutor(
            settings.threads(), settings.threads(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "comms-serve-" + n.incrementAndGet());
              t.setDaemon(false);
              return t;
            });
    server.setExecutor(pool);
    WorkerServer ws = new WorkerServer(server, pool, settings, context);
    Authenticator auth = new Authenticator(tokens, context.sessions());
    server.createContext("/", exchange -> ws.dispatch(exchange, router, auth));
    server.start();
    return ws;
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Requests being answered right now. */
  public int inFlight() {
    return inFlight.get();
  }

  private void dispatch(HttpExchange exchange, Router router, Authenticator auth) {
    inFlight.incrementAndGet();
    App request = null;
    HttpCall call = null;
    try {
      List<String> allowed = new ArrayList<>();
      String path = exchange.getRequestURI().getPath();
      Router.Match m = router.match(exchange.getRequestMethod(), path, allowed);
      call = new HttpCall(exchange, m == null ? java.util.Map.of() : m.params(), settings.maxBodyBytes(), settings.behindTls());
      if (m == null) {
        if (allowed.isEmpty()) {
          throw new ApiError(404, "not_found", "no endpoint " + path + "; GET /AGENTS.md lists them");
        }
        call.allow(allowed);
        throw new ApiError(405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
      }
      request = context.app().forRequest();
      if (m.route().access() != Router.Access.PUBLIC) {
        request.actAs(auth.authenticate(call, request, m.route().access()));
        call.caller(request, request.identity());
      }
      m.route().handler().handle(call);
    } catch (ApiError e) {
      answer(call, exchange, e);
    } catch (CommsException e) {
      if (e.exitCode() == comms.core.ExitCode.INTERNAL) {
        logFailure(exchange, e);
      }
      answer(call, exchange, ApiError.of(e));
    } catch (RuntimeException | Error e) {
      logFailure(exchange, e);
      answer(call, exchange, ApiError.internal());
    } finally {
      if (request != null) {
        request.close();
      }
      if (call == null || !call.answered()) {
        exchange.close();
      }
      inFlight.decrementAndGet();
    }
  }

  private void answer(HttpCall call, HttpExchange exchange, ApiError e) {
    if (call == null) {
      call = new HttpCall(exchange, java.util.Map.of(), settings.maxBodyBytes(), settings.behindTls());
    }
    if (!call.answered()) {
      call.error(e);
    }
  }

  private void logFailure(HttpExchange exchange, Throwable t) {
    synchronized (log) {
      log.println("comms serve: internal error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ": " + t);
      t.printStackTrace(log);
      log.flush();
    }
  }

  /**
   * Stops taking connections and waits (up to the drain time) for the requests in flight to finish and
   * their answers to go out; then the worker threads end.
   */
  @Override
  public void close() {
    int busy = inFlight.get();
    if (busy > 0) {
      log.println("comms serve: stopping; waiting for " + busy + " request" + (busy == 1 ? "" : "s") + " in flight");
      log.flush();
    }
    server.stop((int) Math.max(1, settings.drain().toSeconds()));
    pool.shutdown();
    try {
      if (!pool.awaitTermination(settings.drain().toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }
}
