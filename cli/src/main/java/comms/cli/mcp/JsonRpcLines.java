package comms.cli.mcp;

import comms.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The client's stdin, one JSON-RPC message a line, as the SDK's stdio transport reads it. The SDK stops
 * reading at the first line it cannot parse, which would end the session; here such a line is answered
 * with a JSON-RPC error (-32700 parse error, -32600 invalid request) and dropped, so the server stays up.
 * A request without params gets an empty one (the SDK leaves it unanswered otherwise). End of input,
 * the client going away, counts {@code closed} down.
 */
final class JsonRpcLines extends InputStream {
  private final BufferedReader in;
  private final OutputStream answers;
  private final CountDownLatch closed;
  private byte[] line = new byte[0];
  private int at;

  JsonRpcLines(InputStream in, OutputStream answers, CountDownLatch closed) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.answers = answers;
    this.closed = closed;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (at >= line.length) {
      String next = next();
      if (next == null) {
        closed.countDown();
        return -1;
      }
      line = (next + "\n").getBytes(StandardCharsets.UTF_8);
      at = 0;
    }
    int n = Math.min(len, line.length - at);
    System.arraycopy(line, at, b, off, n);
    at += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    in.close();
  }

  /** The next line the SDK can take, answering and skipping those it cannot; null at the end. */
  private String next() throws IOException {
    String text;
    while ((text = in.readLine()) != null) {
      if (text.isBlank()) {
        continue;
      }
      Object parsed;
      try {
        parsed = Json.parse(text);
      } catch (RuntimeException e) {
        answer(null, -32700, "Parse error: the line is not JSON (" + e.getMessage() + "); send one JSON-RPC message per line");
        continue;
      }
      if (!(parsed instanceof Map<?, ?> m) || !"2.0".equals(m.get("jsonrpc")) || !(m.containsKey("method") || m.containsKey("result") || m.containsKey("error"))) {
        Object id = parsed instanceof Map<?, ?> m2 ? m2.get("id") : null;
        answer(id instanceof String || id instanceof BigDecimal ? id : null, -32600,
            "Invalid Request: a JSON-RPC 2.0 message is an object with \"jsonrpc\": \"2.0\" and a method (or a result or an error)");
        continue;
      }
      if (m.containsKey("method") && m.containsKey("id") && !m.containsKey("params")) {
        Map<Object, Object> withParams = new LinkedHashMap<>(m);
        withParams.put("params", Map.of());
        return Json.write(withParams);
      }
      return text;
    }
    return null;
  }

  private void answer(Object id, int code, String message) throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", id);
    m.put("error", error);
    byte[] bytes = (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (answers) {
      answers.write(bytes);
      answers.flush();
    }
  }
}
