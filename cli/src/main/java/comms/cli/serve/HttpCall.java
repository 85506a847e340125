package comms.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import comms.cli.App;
import comms.core.json.Json;
import comms.core.operator.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One request as a handler sees it: its path parameters, query, headers and a size-limited body
 * (JSON objects with only the fields an endpoint knows), the caller once authenticated, and the ways
 * to answer. Every answer carries the same defensive headers.
 */
public final class HttpCall {
  /** How much of a refused oversized body is read and dropped so the refusal reaches the client. */
  static final long DRAIN_LIMIT = 32L * 1024 * 1024;

  private final HttpExchange exchange;
  private final Map<String, String> params;
  private final int maxBody;
  private final boolean secure;
  private App app;
  private Identity who;
  private String bodyText;
  private boolean answered;

  HttpCall(HttpExchange exchange, Map<String, String> params, int maxBody, boolean secure) {
    this.exchange = exchange;
    this.params = Map.copyOf(params);
    this.maxBody = maxBody;
    this.secure = secure;
  }

  /** The invocation this request runs in (its own store connection), acting as {@link #who()}. */
  public App app() {
    if (app == null) {
      throw new IllegalStateException("no caller: the route is public");
    }
    return app;
  }

  /** The authenticated operator (and actor) the request acts for. */
  public Identity who() {
    if (who == null) {
      throw new IllegalStateException("no caller: the route is public");
    }
    return who;
  }

  void caller(App app, Identity who) {
    this.app = app;
    this.who = who;
  }

  App appOrNull() {
    return app;
  }

  /** True behind the TLS proxy: cookies get Secure. */
  boolean secure() {
    return secure;
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  public String path() {
    return exchange.getRequestURI().getPath();
  }

  /** A {@code {name}} of the route's path, decoded. */
  public String param(String name) {
    return params.get(name);
  }

  /** A query parameter, decoded; null when absent. */
  public String query(String name) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (k.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  public String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /** The body as text, at most the server's limit (413 beyond it); read once. */
  public String body() {
    if (bodyText != null) {
      return bodyText;
    }
    String length = header("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBody) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Content-Length '" + length + "' is not a number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(maxBody + 1);
      if (b.length > maxBody) {
        throw tooLarge();
      }
      bodyText = new String(b, StandardCharsets.UTF_8);
      return bodyText;
    } catch (IOException e) {
      throw ApiError.badRequest("the request body could not be read (" + e.getMessage() + ")");
    }
  }

  /**
   * Refuses a body over the limit. What the client is still sending is read and dropped first (up to
   * {@link #DRAIN_LIMIT}): closing a socket with unread input resets it, and the client would lose the
   * answer saying why.
   */
  private ApiError tooLarge() {
    try (InputStream in = exchange.getRequestBody()) {
      long left = DRAIN_LIMIT;
      byte[] buf = new byte[64 * 1024];
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away; the answer below is best effort
    }
    return new ApiError(413, "body_too_large", "the request body is over the limit of " + maxBody + " bytes; send less in one call");
  }

  /**
   * The body as one JSON object holding no field outside {@code allowed} (an unknown field is refused,
   * 400, naming it): misspelt fields fail loudly instead of being ignored.
   */
  public Map<String, Object> jsonObject(Set<String> allowed) {
    Map<String, Object> m = jsonObject();
    Set<String> unknown = new TreeSet<>(m.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new ApiError(
          400, "unknown_field", "unknown field" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + " in the body; this endpoint takes "
              + (allowed.isEmpty() ? "no fields" : String.join(", ", new TreeSet<>(allowed))));
    }
    return m;
  }

  /** The body as one JSON object (400 when it is not one, 415 when it is not sent as JSON). */
  public Map<String, Object> jsonObject() {
    String type = header("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json");
    }
    String text = body();
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      return Json.parseObject(text);
    } catch (RuntimeException e) {
      throw ApiError.badRequest("the body is not one JSON object: " + e.getMessage());
    }
  }

  /** A required whole number field of a body. */
  public static int intField(Map<String, Object> body, String name) {
    Object v = body.get(name);
    if (v == null) {
      throw ApiError.badRequest("\"" + name + "\" is required: a whole number");
    }
    if (!(v instanceof Long) && !(v instanceof Integer)) {
      throw ApiError.badRequest("\"" + name + "\" must be a whole number, not " + Json.write(v));
    }
    long n = ((Number) v).longValue();
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw ApiError.badRequest("\"" + name + "\" is out of range: " + n);
    }
    return (int) n;
  }

  /** Answers {@code status} with {@code tree} as JSON. */
  public void json(int status, Object tree) {
    send(status, "application/json; charset=utf-8", (Json.pretty(tree) + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** Answers an HTML page under the strict Content-Security-Policy. */
  public void html(int status, String page) {
    send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), Map.of("Content-Security-Policy", DashboardRoutes.CSP));
  }

  /** Answers plain text (or markdown) as UTF-8. */
  public void text(int status, String contentType, String text) {
    send(status, contentType + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** Answers 303 See Other to {@code location}, with extra headers (a Set-Cookie). */
  public void redirect(String location, Map<String, String> headers) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Location", location);
    send(303, "text/plain; charset=utf-8", new byte[0], h);
  }

  void error(ApiError e) {
    if (e.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"comms\", error=\"invalid_token\"");
    }
    json(e.status(), e.body());
  }

  boolean answered() {
    return answered;
  }

  /** The exchange, for a handler that answers it itself (/mcp's event streams); this call answers nothing more. */
  HttpExchange takeOver() {
    if (answered) {
      throw new IllegalStateException("answered already");
    }
    answered = true;
    return exchange;
  }

  void allow(List<String> methods) {
    exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
  }

  private void send(int status, String type, byte[] body, Map<String, String> extra) {
    if (answered) {
      throw new IllegalStateException("answered twice");
    }
    answered = true;
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    extra.forEach(h::add);
    try {
      boolean head = "HEAD".equals(method());
      exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // The client went away; nothing more can be told to it.
    } finally {
      exchange.close();
    }
  }
}
