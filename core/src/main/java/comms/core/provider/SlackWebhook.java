package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A Slack incoming webhook: {@code POST} of {@code {"text": …}} to the webhook's URL, which Slack
 * answers 200 {@code ok}. The URL is the secret (whoever has it can post), so it is never part of
 * a message, an error or a log line.
 */
public final class SlackWebhook {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String url;
  private final OkHttpClient client;

  public SlackWebhook(String url) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://127.0.0.1:") || url.startsWith("http://localhost:"))) {
      throw CommsException.config("the Slack webhook URL must be https (or a loopback address for tests); check the variable the sequences contract names in watch.alert_webhook_env");
    }
    this.url = url;
    this.client =
        new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofSeconds(15)).build();
  }

  /** Posts {@code text}; exit 6 when Slack did not take it (the status only: never the URL). */
  public void post(String text) {
    Request r = new Request.Builder().url(url).post(RequestBody.create(Json.write(Map.of("text", text)), JSON)).build();
    try (Response answer = client.newCall(r).execute()) {
      if (!answer.isSuccessful()) {
        throw new CommsException(ExitCode.PROVIDER, "the Slack webhook answered HTTP " + answer.code() + "; the alert was not delivered");
      }
    } catch (IOException e) {
      throw new CommsException(ExitCode.PROVIDER, "the Slack webhook could not be reached (" + e.getClass().getSimpleName() + "); the alert was not delivered");
    }
  }
}
