package comms.cli.mcp;

import com.sun.net.httpserver.HttpExchange;
import comms.core.json.Json;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * MCP's Streamable HTTP transport (spec 2025-06-18 and later) on the JDK's {@code com.sun.net.httpserver},
 * which comms serve already runs on: the SDK's transport SPI ({@link McpStreamableServerTransportProvider})
 * as the SDK's own servlet provider implements it, so no servlet container is embedded. POST carries one
 * JSON-RPC message: initialize answers JSON and opens a session (Mcp-Session-Id); a request is answered on
 * its own event stream (where an elicitation goes out first when a send needs a person); a notification
 * or response answers 202. DELETE ends a session. GET answers 405: this server opens no standalone
 * stream, which the spec allows. Host and Origin are checked first (the SDK's validator) against DNS
 * rebinding, and each session belongs to the operator who opened it: another operator's request to it is
 * refused.
 */
final class StreamableHttp implements McpStreamableServerTransportProvider {
  static final String PATH = "/mcp";

  private final McpJsonMapper json;
  private final ServerTransportSecurityValidator guard;
  private final int maxBody;
  /** At most this many sessions are kept; beyond, the one used least recently ends (clients that never DELETE). */
  static final int MAX_SESSIONS = 1000;

  private final Map<String, Owned> sessions =
      java.util.Collections.synchronizedMap(new LinkedHashMap<String, Owned>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Owned> eldest) {
          if (size() <= MAX_SESSIONS) {
            return false;
          }
          eldest.getValue().session().close();
          return true;
        }
      });
  private volatile McpStreamableServerSession.Factory factory;
  private volatile boolean closing;

  private record Owned(McpStreamableServerSession session, String owner) {}

  StreamableHttp(McpJsonMapper json, ServerTransportSecurityValidator guard, int maxBody) {
    this.json = json;
    this.guard = guard;
    this.maxBody = maxBody;
  }

  /**
   * The DNS-rebinding guard: Host must be a loopback name (any port) or one of {@code publicHosts}; an
   * Origin, when a browser sends one, must be http on loopback or https on one of {@code publicHosts}.
   */
  static ServerTransportSecurityValidator guard(List<String> publicHosts) {
    DefaultServerTransportSecurityValidator.Builder b = DefaultServerTransportSecurityValidator.builder();
    for (String loopback : List.of("127.0.0.1", "localhost", "[::1]")) {
      b.allowedHost(loopback + ":*").allowedOrigin("http://" + loopback + ":*");
    }
    for (String h : publicHosts) {
      b.allowedHost(h).allowedOrigin("https://" + h);
    }
    return b.build();
  }

  @Override
  public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
    this.factory = sessionFactory;
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return Mono.fromRunnable(() -> live().forEach(o -> o.session().sendNotification(method, params).onErrorComplete().block()));
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    return Mono.defer(() -> {
      Owned o = sessions.get(sessionId);
      return o == null ? Mono.empty() : o.session().sendNotification(method, params);
    });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> {
      closing = true;
      live().forEach(o -> o.session().closeGracefully().onErrorComplete().block());
      sessions.clear();
    });
  }

  private List<Owned> live() {
    synchronized (sessions) {
      return List.copyOf(sessions.values());
    }
  }

  /** Sessions open now. */
  int open() {
    return sessions.size();
  }

  /**
   * Answers one request to {@link #PATH} made for {@code owner} (the operator it acts for); tool calls see
   * {@code context}. Returns once the answer is complete (a request's event stream included).
   */
  void handle(HttpExchange ex, String owner, McpTransportContext context) throws IOException {
    try {
      guard.validateHeaders(ex.getRequestHeaders());
    } catch (ServerTransportSecurityException e) {
      error(ex, e.getStatusCode(), -32600, (e.getStatusCode() == 421 ? "the Host header" : "the Origin header")
          + " is not one this server answers to (a loopback name" + (e.getStatusCode() == 421 ? " or a configured public host" : "")
          + "); refused as a possible DNS-rebinding attack");
      return;
    }
    if (closing) {
      error(ex, 503, -32603, "the server is shutting down");
      return;
    }
    switch (ex.getRequestMethod()) {
      case "POST" -> post(ex, owner, context);
      case "DELETE" -> delete(ex, owner);
      default -> {
        ex.getResponseHeaders().set("Allow", "POST, DELETE");
        error(ex, 405, -32600, ex.getRequestMethod() + " is not served on " + PATH + ": POST one JSON-RPC message (this server opens no standalone event stream), DELETE ends a session");
      }
    }
  }

  private void post(HttpExchange ex, String owner, McpTransportContext context) throws IOException {
    String accept = header(ex, "Accept");
    if (accept == null || !accept.contains("application/json") || !accept.contains("text/event-stream")) {
      error(ex, 406, -32600, "send Accept: application/json, text/event-stream (Streamable HTTP answers either)");
      return;
    }
    String type = header(ex, "Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      error(ex, 415, -32600, "send the JSON-RPC message with Content-Type: application/json");
      return;
    }
    String body = body(ex);
    if (body == null) {
      return;
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, body);
    } catch (IOException | RuntimeException e) {
      boolean isJson = isJson(body);
      error(ex, 400, isJson ? -32600 : -32700, isJson
          ? "Invalid Request: the body must be one JSON-RPC 2.0 message, an object with \"jsonrpc\": \"2.0\" and a method (or a result or an error)"
          : "Parse error: the body is not JSON; POST one JSON-RPC message");
      return;
    }
    if (message instanceof McpSchema.JSONRPCRequest r && McpSchema.METHOD_INITIALIZE.equals(r.method())) {
      initialize(ex, owner, r);
      return;
    }
    Owned o = session(ex, owner);
    if (o == null) {
      return;
    }
    if (message instanceof McpSchema.JSONRPCRequest r) {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(200, 0);
      EventStream stream = new EventStream(ex.getResponseBody());
      try {
        o.session().responseStream(r, stream).contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
      } finally {
        stream.close();
      }
    } else {
      Mono<Void> done = message instanceof McpSchema.JSONRPCResponse resp ? o.session().accept(resp) : o.session().accept((McpSchema.JSONRPCNotification) message);
      done.contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
      ex.sendResponseHeaders(202, -1);
      ex.close();
    }
  }

  private void initialize(HttpExchange ex, String owner, McpSchema.JSONRPCRequest r) throws IOException {
    McpSchema.InitializeRequest init = json.convertValue(r.params(), new TypeRef<McpSchema.InitializeRequest>() {});
    McpStreamableServerSession.McpStreamableServerSessionInit started = factory.startSession(init);
    sessions.put(started.session().getId(), new Owned(started.session(), owner));
    McpSchema.InitializeResult result = started.initResult().block();
    ex.getResponseHeaders().set(HttpHeaders.MCP_SESSION_ID, started.session().getId());
    send(ex, 200, json.writeValueAsString(McpSchema.JSONRPCResponse.result(r.id(), result)));
  }

  private void delete(HttpExchange ex, String owner) throws IOException {
    Owned o = session(ex, owner);
    if (o == null) {
      return;
    }
    o.session().delete().block();
    sessions.remove(o.session().getId());
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }

  /** The session the request names, when it exists and belongs to {@code owner}; else answered and null. */
  private Owned session(HttpExchange ex, String owner) throws IOException {
    String id = header(ex, HttpHeaders.MCP_SESSION_ID);
    if (id == null || id.isBlank()) {
      error(ex, 400, -32600, "send the Mcp-Session-Id header the initialize answer carried (initialize first)");
      return null;
    }
    Owned o = sessions.get(id);
    if (o == null) {
      error(ex, 404, -32600, "no MCP session " + id + " (it ended or never was); initialize a new one");
      return null;
    }
    if (!o.owner().equals(owner)) {
      error(ex, 403, -32600, "this MCP session was opened for another operator; an agent acts only for the operator whose token it sends, so initialize your own session");
      return null;
    }
    return o;
  }

  /** The body, at most {@code maxBody} bytes; null (answered 413) beyond it. */
  private String body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(maxBody + 1);
      if (b.length > maxBody) {
        in.transferTo(OutputStream.nullOutputStream());
        error(ex, 413, -32600, "the message is over the limit of " + maxBody + " bytes");
        return null;
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private static boolean isJson(String body) {
    try {
      Json.parse(body);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String header(HttpExchange ex, String name) {
    return ex.getRequestHeaders().getFirst(name);
  }

  /** A JSON-RPC error (id null: the message was not understood, or not let in) with HTTP {@code status}. */
  static void error(HttpExchange ex, int status, int code, String message) throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", null);
    m.put("error", error);
    send(ex, status, Json.write(m));
  }

  private static void send(HttpExchange ex, int status, String jsonText) throws IOException {
    byte[] b = jsonText.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** One request's answer stream: each message an SSE {@code message} event, flushed as it goes. */
  private final class EventStream implements McpStreamableServerTransport {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    EventStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
      return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
      return Mono.fromRunnable(() -> {
        lock.lock();
        try {
          if (closed) {
            return;
          }
          StringBuilder event = new StringBuilder();
          if (messageId != null) {
            event.append("id: ").append(messageId).append('\n');
          }
          event.append("event: message\ndata: ").append(json.writeValueAsString(message)).append("\n\n");
          out.write(event.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          close(); // the client went away; the session itself stays
        } finally {
          lock.unlock();
        }
      });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
      return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (!closed) {
          closed = true;
          out.close();
        }
      } catch (IOException e) {
        // already gone
      } finally {
        lock.unlock();
      }
    }
  }
}
