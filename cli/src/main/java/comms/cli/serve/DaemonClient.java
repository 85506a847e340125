package comms.cli.serve;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.imessage.ImessageDaemon;
import comms.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's side of the Worker API over HTTP (java.net.http, explicit timeouts): each call carries a
 * fresh daemon token. An answer other than 2xx is a {@link CommsException} (exit 6) quoting the Worker's
 * error code and sentence, such as {@code daemon_disabled}.
 */
public final class DaemonClient implements ImessageDaemon.WorkerApi {
  private final URI base;
  private final DaemonTokens tokens;
  private final String daemonId;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

  public DaemonClient(URI base, DaemonTokens tokens, String daemonId) {
    this.base = Objects.requireNonNull(base);
    this.tokens = Objects.requireNonNull(tokens);
    this.daemonId = Objects.requireNonNull(daemonId);
    tokens.mint(daemonId); // refuses a malformed name before the first poll
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<ImessageDaemon.Outbound> pending() {
    Map<String, Object> m = call("GET", ImessageRoutes.PENDING, null);
    List<ImessageDaemon.Outbound> out = new ArrayList<>();
    for (Object o : (List<Object>) m.getOrDefault("items", List.of())) {
      Map<String, Object> x = (Map<String, Object>) o;
      out.add(new ImessageDaemon.Outbound((String) x.get("id"), (String) x.get("phone"), (String) x.get("body")));
    }
    return out;
  }

  @Override
  public void sent(String id) {
    call("POST", "/api/imessage/outbound/" + enc(id) + "/sent", Map.of());
  }

  @Override
  public void failed(String id, String error) {
    call("POST", "/api/imessage/outbound/" + enc(id) + "/failed", Map.of("error", error));
  }

  @Override
  public Map<String, Object> inbound(String from, String body) {
    return call("POST", "/api/imessage/inbound", Map.of("from", from, "text", body));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> call(String method, String path, Object body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + tokens.mint(daemonId))
            .header("Accept", "application/json");
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CommsException(ExitCode.PROVIDER, "the Worker at " + base + " did not answer " + method + " " + path + " (" + e.getMessage() + "); is comms serve running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommsException(ExitCode.PROVIDER, "interrupted while calling the Worker");
    }
    Object parsed;
    try {
      parsed = Json.parse(r.body());
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (r.statusCode() / 100 != 2) {
      String code = "http_" + r.statusCode();
      String message = "";
      if (parsed instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> e) {
        code = String.valueOf(e.get("code"));
        message = String.valueOf(e.get("message"));
      }
      throw new CommsException(ExitCode.PROVIDER, "the Worker answered " + method + " " + path + " with " + r.statusCode() + " " + code + (message.isEmpty() ? "" : ": " + message));
    }
    return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
