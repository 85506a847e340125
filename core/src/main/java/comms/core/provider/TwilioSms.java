package comms.core.provider;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import comms.core.CommsException;
import comms.core.contract.ProvidersContract;
import java.util.List;
import java.util.Map;

/**
 * SMS through the Twilio Java SDK. The SDK cannot be given a base URL, so its HTTP-client hook
 * ({@link TwilioTransport}, a NetworkHttpClient) sends each request to the contract's base_url.
 * Error 21610 (recipient opted out) and 21211/21614 (invalid recipient) fail at once; 429/20429,
 * 5xx and transport failures are retried under the shared {@link RetryPolicy}.
 */
public final class TwilioSms implements Provider {
  static {
    // Before any SDK class initialises: Azure reads its log level once, when its first logger is made.
    SdkQuiet.apply();
  }

  private final String name;
  private final String from;
  private final String messagingServiceSid;
  private final String where;
  private final RetryPolicy retry;
  private final SecretMask mask;
  private final TwilioTransport http;
  private final TwilioRestClient client;

  public TwilioSms(ProvidersContract.Provider p, String accountSid, String authToken, RetryPolicy retry, HttpTrace trace) {
    if (p.from() == null && p.messagingServiceSid() == null) {
      throw CommsException.config(
          "provider " + p.name() + " has neither from nor messaging_service_sid in the providers contract (" + p.source().where()
              + "); set one so Twilio knows who sends");
    }
    this.name = p.name();
    this.from = p.from();
    this.messagingServiceSid = p.messagingServiceSid();
    this.where = p.baseUrl();
    this.retry = retry;
    // The SDK sends both as Basic credentials; a provider echoing that header would show their base64.
    String basic = java.util.Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.mask = new SecretMask(List.of(accountSid, authToken, basic));
    this.http = new TwilioTransport(p.baseUrl(), p.connectTimeoutMs(), p.readTimeoutMs(), accountSid, mask.apply(trace));
    this.client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(http).build();
  }

  @Override
  public String name() {
    return name;
  }

  /** Creates the message; returns Twilio's SID and status ({@code queued} or {@code sent}). */
  @Override
  public synchronized DispatchResult send(Dispatch d) {
    try {
      return retry.run(name, n -> attempt(d, n));
    } catch (ProviderException e) {
      throw mask.apply(e);
    }
  }

  /** Extra request headers for every request (tests ask Prism for error answers with {@code Prefer}). */
  void header(String name, String value) {
    http.extraHeaders.put(name, value);
  }

  private DispatchResult attempt(Dispatch d, int n) {
    String sender = d.from() != null && !d.from().isBlank() ? d.from() : from;
    MessageCreator creator;
    if (messagingServiceSid != null) {
      creator = Message.creator(new PhoneNumber(d.to()), messagingServiceSid, d.text());
      if (sender != null) {
        creator.setFrom(new PhoneNumber(sender));
      }
    } else {
      creator = Message.creator(new PhoneNumber(d.to()), new PhoneNumber(sender), d.text());
    }
    http.forget();
    Message m;
    try {
      m = creator.create(client);
    } catch (ApiException e) {
      throw classify(e, n);
    }
    String status = m.getStatus() == null ? "queued" : m.getStatus().toString();
    if (status.equals("failed") || status.equals("undelivered") || status.equals("canceled")) {
      String code = m.getErrorCode() == null ? status : String.valueOf(m.getErrorCode());
      throw new ProviderException(
          ProviderException.FAILED, code, name + " accepted message " + m.getSid() + " but reports it " + status
              + (m.getErrorMessage() == null ? "" : ": " + m.getErrorMessage()), n);
    }
    boolean sent = status.equals("sent") || status.equals("delivered") || status.equals("read");
    if (m.getSid() == null || m.getSid().isBlank()) {
      throw new ProviderException(
          ProviderException.FAILED, "bad_response", name + " answered without a message SID; check the Twilio console before sending again", n);
    }
    return new DispatchResult(sent ? "sent" : "queued", m.getSid(), n);
  }

  private RuntimeException classify(ApiException e, int n) {
    Answer a = http.last();
    if (a == null) {
      return new ProviderException(ProviderException.FAILED, "client_error", name + " could not build the request: " + e.getMessage(), n);
    }
    if (a.answered() && a.success()) {
      // The message may have been created; a retry could send it twice.
      return new ProviderException(
          ProviderException.FAILED,
          "bad_response",
          name + " answered HTTP " + a.status() + " with " + a.bodyKind() + "; the message may have been accepted, so it was"
              + " not retried: check the Twilio console before sending again",
          n,
          true);
    }
    if (!a.answered() && !a.neverSent()) {
      // Twilio has no idempotency key: the request went out and may have created the message, so
      // asking again could text the recipient twice. Only a person can tell (issue 7's crash harness).
      return new ProviderException(
          ProviderException.FAILED,
          "no_response",
          name + ": no answer from " + where + " (" + Answer.reason(a.failure()) + ") after the request was sent; the message may"
              + " have been created, so it was not retried: check the Twilio console, and only if it did not arrive run again"
              + " with --retry-interrupted",
          n,
          true);
    }
    Map<String, Object> body = a.object();
    Integer code = e.getCode();
    if (code == null && body != null && body.get("code") instanceof Number c) {
      code = c.intValue();
    }
    String message = body != null && body.get("message") instanceof String s ? s : a.answered() && body == null ? a.bodyKind() : null;
    if (code != null) {
      switch (code) {
        case 21610 -> {
          return new ProviderException(
              ProviderException.FAILED, "21610", name + ": the recipient has opted out of messages from this sender (error 21610"
                  + (message == null ? "" : ": " + message) + "); record the opt-out and do not send again unless they reply START", n);
        }
        case 21211, 21614 -> {
          return new ProviderException(
              ProviderException.FAILED, String.valueOf(code), name + ": invalid recipient (error " + code
                  + (message == null ? "" : ": " + message) + "); check the number", n);
        }
        case 20429 -> {
          return new RetryPolicy.Retryable(
              "429", "20429", name + " answered HTTP " + a.status() + ", error 20429" + (message == null ? "" : ": " + message), a.retryAfter());
        }
        default -> {}
      }
    }
    return a.verdict(name, where, n, code == null ? null : String.valueOf(code), message);
  }
}
