package comms.core.provider;

import comms.core.contract.ProvidersContract;
import comms.core.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Email through Resend's documented REST API ({@code POST /emails}) with OkHttp. The official
 * resend-java SDK hard-codes https://api.resend.com, so it could not be pointed at the contract's
 * base_url or a test server. Every request carries {@code Idempotency-Key} = the dispatch's
 * idempotency key, which makes retries after a timeout safe: Resend sends a key's email only once.
 */
public final class ResendEmail implements Provider {
  static {
    // Before any SDK class initialises: Azure reads its log level once, when its first logger is made.
    SdkQuiet.apply();
  }

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String name;
  private final String from;
  private final String endpoint;
  private final String apiKey;
  private final RetryPolicy retry;
  private final SecretMask mask;
  private final OkHttpExchanges exchanges;
  private final OkHttpClient client;

  public ResendEmail(ProvidersContract.Provider p, String apiKey, RetryPolicy retry, HttpTrace trace) {
    this.name = p.name();
    this.from = p.from();
    this.endpoint = p.baseUrl() + "/emails";
    this.apiKey = apiKey;
    this.retry = retry;
    this.mask = new SecretMask(List.of(apiKey));
    this.exchanges = new OkHttpExchanges(mask.apply(trace));
    this.client = OkHttpExchanges.client(new OkHttpClient.Builder(), p.connectTimeoutMs(), p.readTimeoutMs(), exchanges).build();
  }

  @Override
  public String name() {
    return name;
  }

  /** Sends one email; returns Resend's email id with status {@code sent}. */
  @Override
  public synchronized DispatchResult send(Dispatch d) {
    String sender = d.from() != null && !d.from().isBlank() ? d.from() : from;
    if (sender == null) {
      throw comms.core.CommsException.config(
          "provider " + name + " has no from address in the providers contract and the message names none; set providers." + name + ".from");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", sender);
    body.put("to", List.of(d.to()));
    body.put("subject", d.subject() == null ? "" : d.subject());
    if (d.text() != null) {
      body.put("text", d.text());
    }
    if (d.html() != null) {
      body.put("html", d.html());
    }
    String json = Json.write(body);
    try {
      return retry.run(name, n -> attempt(d, json, n));
    } catch (ProviderException e) {
      throw mask.apply(e);
    }
  }

  /** Extra request headers for every request (tests ask Prism for error answers with {@code Prefer}). */
  void header(String name, String value) {
    exchanges.extraHeaders.put(name, value);
  }

  private DispatchResult attempt(Dispatch d, String json, int n) {
    Request.Builder request =
        new Request.Builder()
            .url(endpoint)
            .header("Authorization", "Bearer " + apiKey)
            .header("Accept", "application/json")
            .post(RequestBody.create(json, JSON));
    if (d.idempotencyKey() != null && !d.idempotencyKey().isBlank()) {
      request.header("Idempotency-Key", d.idempotencyKey());
    }
    exchanges.forget();
    try (Response r = client.newCall(request.build()).execute()) {
      r.body().string();
    } catch (IOException e) {
      // The interceptor saw the exchange; fall through to classify it.
    }
    Answer a = exchanges.last();
    if (a == null) {
      return failNoExchange(n);
    }
    Map<String, Object> obj = a.object();
    if (a.answered() && a.success()) {
      if (obj != null && obj.get("id") instanceof String id && !id.isBlank()) {
        return new DispatchResult("sent", id, n);
      }
      throw new ProviderException(
          ProviderException.FAILED,
          "bad_response",
          name + " answered HTTP " + a.status() + " with " + (obj == null ? a.bodyKind() : "JSON that has no email id")
              + "; the email may have been accepted, so it was not retried: check Resend's dashboard before sending again",
          n);
    }
    // Resend's error shape: {"statusCode": 429, "name": "rate_limit_exceeded", "message": "…"}
    String code = obj != null && obj.get("name") instanceof String s ? s : null;
    String message = obj != null && obj.get("message") instanceof String s ? s : a.answered() && obj == null ? a.bodyKind() : null;
    throw a.verdict(name, endpoint, n, code, message);
  }

  private DispatchResult failNoExchange(int n) {
    throw new ProviderException(ProviderException.FAILED, "client_error", name + " could not send the request to " + endpoint, n);
  }
}
