package comms.cli.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An MCP client over Streamable HTTP, as an agent's would be: the SDK's own client transport (java.net.http),
 * optionally with headers on every request (a bearer token, X-Actor) and a person to elicit; and raw
 * HTTP/1.1 on a socket for what java.net.http will not send (a forged Host).
 */
public final class HttpAgent implements AutoCloseable {
  public final McpSyncClient client;
  public final List<String> elicited = new ArrayList<>();

  /** {@code url}: http://host:port/mcp; {@code answer} null: a client that declares no elicitation. */
  public HttpAgent(String url, Map<String, String> headers, Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> answer) {
    URI u = URI.create(url);
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(u.getScheme() + "://" + u.getAuthority())
            .endpoint(u.getPath())
            .httpRequestCustomizer((b, method, uri, body, ctx) -> headers.forEach(b::header))
            .build();
    McpClient.SyncSpec spec =
        McpClient.sync(transport).clientInfo(new McpSchema.Implementation("comms-http-test", "1")).requestTimeout(Duration.ofSeconds(60));
    if (answer != null) {
      spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
          .elicitation(r -> {
            elicited.add(r.message());
            return answer.apply(r);
          });
    }
    client = spec.build();
    client.initialize();
  }

  public McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> ok(String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = call(tool, args);
    if (Boolean.TRUE.equals(r.isError())) {
      throw new AssertionError(tool + " failed: " + r.content());
    }
    return (Map<String, Object>) r.structuredContent();
  }

  @Override
  public void close() {
    client.closeGracefully();
  }

  /** A raw answer: status line's code, headers (lower-case names) and body. */
  public record Raw(int status, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  /** Sends one HTTP/1.1 request as written, on a new socket to {@code port}, and reads the whole answer. */
  public static Raw raw(int port, String method, String path, Map<String, String> headers, String body) throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("Content-Length: ").append(b.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1); // byte for byte: chunk sizes count bytes
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        h.put(lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(c + 1).trim());
      }
      String rest = text.substring(end + 4);
      if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
        rest = dechunk(rest);
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), h, new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < s.length()) {
      int nl = s.indexOf("\r\n", at);
      int n = Integer.parseInt(s.substring(at, nl).trim(), 16);
      if (n == 0) {
        break;
      }
      out.append(s, nl + 2, nl + 2 + n);
      at = nl + 2 + n + 2;
    }
    return out.toString();
  }

  /** An initialize request as a JSON body. */
  public static String initialize() {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  }
}
