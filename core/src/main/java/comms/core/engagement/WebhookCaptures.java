package comms.core.engagement;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads captured webhooks, one JSON object per line:
 * {@code {"headers": {"svix-id": "…", "svix-timestamp": "…", "svix-signature": "…"}, "body": "<raw body>"}}.
 * {@code body} is the request body exactly as received, as a JSON string (the signature covers those
 * bytes, so a body given as an object, which would have to be re-encoded, is refused). Other header
 * names are kept and ignored; blank lines and lines starting with {@code #} are skipped. Any bad line
 * refuses the whole file (exit 2, file:line and what to do) before anything is applied.
 */
public final class WebhookCaptures {
  /** The most a file may hold. */
  public static final int MAX_BYTES = 32 * 1024 * 1024;

  /** The most webhooks in one file. */
  public static final int MAX_LINES = 50_000;

  private WebhookCaptures() {}

  /** One captured webhook and the line it was on. */
  public record Capture(int line, Map<String, String> headers, String body) {}

  /** The captures in {@code bytes}, read from {@code name} (a path, or "stdin"). */
  public static List<Capture> read(String name, byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw CommsException.usage(name + " is not UTF-8 text; write one JSON object per line");
    }
    List<Capture> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (out.size() == MAX_LINES) {
        throw CommsException.usage(name + " holds more than " + MAX_LINES + " webhooks; split it into smaller files");
      }
      out.add(capture(name + ":" + (i + 1), i + 1, line));
    }
    return out;
  }

  private static Capture capture(String where, int n, String line) {
    Map<String, Object> m;
    try {
      m = Json.parseObject(line);
    } catch (Json.JsonException e) {
      throw bad(where, "is not one JSON object (" + e.getMessage() + ")");
    }
    for (String k : m.keySet()) {
      if (!k.equals("headers") && !k.equals("body")) {
        throw bad(where, "has an unknown field '" + k + "'; a line holds only headers and body");
      }
    }
    if (!(m.get("headers") instanceof Map<?, ?> h)) {
      throw bad(where, "needs \"headers\": an object with svix-id, svix-timestamp and svix-signature");
    }
    Object body = m.get("body");
    if (body instanceof Map || body instanceof List) {
      throw bad(where, "has \"body\" as JSON, not as the raw text received: re-encoding changes the bytes the signature covers."
          + " Give the body exactly as received, as a JSON string (jq -Rs . < body.json)");
    }
    if (!(body instanceof String b)) {
      throw bad(where, "needs \"body\": the raw request body as a JSON string");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : h.entrySet()) {
      Object v = e.getValue();
      if (v instanceof List<?> l && l.size() == 1) {
        v = l.get(0);
      }
      if (!(v instanceof String) && !(v instanceof Number)) {
        throw bad(where, "has header '" + e.getKey() + "' that is not text");
      }
      headers.put(String.valueOf(e.getKey()), String.valueOf(v));
    }
    for (String need : List.of("id", "timestamp", "signature")) {
      if (WebhookVerifier.header(headers, need).isEmpty()) {
        throw bad(where, "has no svix-" + need + " header; copy all three Svix headers from the request");
      }
    }
    return new Capture(n, headers, b);
  }

  private static CommsException bad(String where, String what) {
    return new CommsException(ExitCode.USAGE, where + ": the line " + what + "; nothing was ingested");
  }
}
