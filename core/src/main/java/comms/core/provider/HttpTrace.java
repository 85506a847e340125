package comms.core.provider;

import java.time.Duration;

/**
 * Hears about every HTTP exchange a live adapter makes, one call per request, so {@code --verbose}
 * can show one line each. It is given only method, host, path, status and duration: never headers,
 * query strings or bodies, so nothing secret can reach it.
 */
@FunctionalInterface
public interface HttpTrace {
  /** Tracing off. */
  HttpTrace NONE = e -> {};

  void exchange(Exchange exchange);

  /**
   * One request and its outcome. {@code status} is 0 when no answer came, and {@code failure} then
   * says why (such as {@code connection refused} or {@code read timeout}).
   */
  record Exchange(String method, String host, String path, int status, String failure, Duration took) {
    /** {@code POST api.twilio.com /2010-04-01/Accounts/{AccountSid}/Messages.json 201 84 ms}. */
    public String line() {
      String outcome = status > 0 ? String.valueOf(status) : "no answer (" + failure + ")";
      return method + " " + host + " " + path + " " + outcome + " " + took.toMillis() + " ms";
    }
  }
}
