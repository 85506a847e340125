package comms.core.provider;

import comms.core.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * What one HTTP request got back, or why it got nothing. The adapters keep the last one and classify
 * a failure from it, because the SDKs' exceptions lose the status, the Retry-After header or the
 * difference between "no answer" and "an answer we could not read".
 */
record Answer(int status, String contentType, String body, String retryAfter, IOException failure) {
  static Answer of(int status, String contentType, String body, String retryAfter) {
    return new Answer(status, contentType, body == null ? "" : body, retryAfter, null);
  }

  static Answer none(IOException failure) {
    return new Answer(0, null, "", null, failure);
  }

  boolean answered() {
    return failure == null;
  }

  boolean success() {
    return status >= 200 && status < 300;
  }

  /** 429 and 5xx: the provider did not process the request, or may do so on a later try. */
  boolean retryableStatus() {
    return status == 429 || status >= 500;
  }

  /** The body as a JSON object, or null when it is empty, not JSON, or not an object. */
  Map<String, Object> object() {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.parseObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** How the body looks, for messages: "an empty body", "an HTML page (text/html)", "a body that is not JSON". */
  String bodyKind() {
    if (body == null || body.isBlank()) {
      return "an empty body";
    }
    String type = contentType == null ? "no content type" : contentType;
    String start = body.stripLeading().toLowerCase(Locale.ROOT);
    if (start.startsWith("<!doctype html") || start.startsWith("<html") || type.toLowerCase(Locale.ROOT).contains("html")) {
      return "an HTML page (" + type + ") instead of JSON";
    }
    return "a body that is not JSON (" + type + ")";
  }

  /**
   * The title and detail of an RFC 7807 problem body (what API gateways, and Prism when a request
   * does not match the description, answer with), or null.
   */
  String problem() {
    Map<String, Object> o = object();
    if (o == null) {
      return null;
    }
    String title = o.get("title") instanceof String t ? t : null;
    String detail = o.get("detail") instanceof String d ? d : null;
    if (title == null && detail == null) {
      return null;
    }
    return title == null ? detail : detail == null ? title : title + ": " + detail;
  }

  /** A short reason for a transport failure: connection refused, connect timeout, read timeout, … */
  static String reason(IOException e) {
    String msg = messages(e).toLowerCase(Locale.ROOT);
    String type = e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    if (e instanceof ConnectException) {
      return msg.contains("refused") ? "connection refused" : "cannot connect";
    }
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      return msg.contains("connect") || type.contains("connect") ? "connect timeout" : "read timeout";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (msg.contains("refused")) {
      return "connection refused";
    }
    return "connection failed (" + e.getClass().getSimpleName() + ")";
  }

  /** The messages of an exception, its causes and suppressed ones: OkHttp puts "Connection refused" in a suppressed one. */
  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = e; c != null && sb.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c.getMessage()).append(' ');
      for (Throwable s : c.getSuppressed()) {
        sb.append(s.getMessage()).append(' ');
      }
    }
    return sb.toString();
  }

  /**
   * True when the request cannot have reached the provider: the connection was never made. Any other
   * transport failure (a read timeout, a reset) may come after the provider accepted the request.
   */
  boolean neverSent() {
    if (failure == null) {
      return false;
    }
    String r = reason(failure);
    return r.equals("connection refused") || r.equals("cannot connect") || r.equals("connect timeout") || r.equals("unknown host");
  }

  String reason() {
    return failure == null ? String.valueOf(status) : reason(failure);
  }

  /** Finds the IOException behind an SDK's wrapped exception, or null when it was not a transport failure. */
  static IOException transportCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException io) {
        return io;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /**
   * The shared verdict on a failed exchange: no answer, 429 or 5xx → retry; anything else →
   * {@code failed} with the provider's code and message. {@code who} names the provider and the
   * action ("twilio", "graph probe of x@y").
   */
  RuntimeException verdict(String who, String where, int attempt, String code, String message) {
    if (!answered()) {
      String r = reason(failure);
      return new RetryPolicy.Retryable(r, "no_response", who + ": no response from " + where + " (" + r + ")", null);
    }
    if (message == null || message.isBlank()) {
      message = problem();
    }
    String errorCode = code == null || code.isBlank() ? String.valueOf(status) : code;
    String detail = "HTTP " + status + (code == null || code.isBlank() ? "" : ", error " + code) + (message == null || message.isBlank() ? "" : ": " + message);
    if (retryableStatus()) {
      return new RetryPolicy.Retryable(String.valueOf(status), errorCode, who + " answered " + detail, retryAfter);
    }
    return new ProviderException(ProviderException.FAILED, errorCode, who + " refused the request (" + detail + ")", attempt);
  }
}
