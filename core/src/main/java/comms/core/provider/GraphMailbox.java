package comms.core.provider;

import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import comms.core.contract.ProvidersContract;
import comms.core.mail.MailboxSearch;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The pilot mailboxes through Microsoft Graph: the v6 Java SDK for the calls (through {@link
 * GraphSdk}, which keeps the SDK out of comms.jar), azure-identity client
 * credentials for the token. Both endpoints come from the providers contract: Graph's base_url is
 * set on the SDK's request adapter, and token requests are moved onto authority_url by
 * {@link TokenAuthority}. The SDK's own retry handler is removed so the shared {@link RetryPolicy}
 * alone decides and counts attempts.
 */
public final class GraphMailbox {
  static {
    // Before any SDK class initialises: Azure reads its log level once, when its first logger is made.
    SdkQuiet.apply();
  }

  /** Microsoft's public authority, which azure-identity is built with (it accepts https only). */
  static final String PUBLIC_AUTHORITY = "https://login.microsoftonline.com";
  /** The header that carries our delivery id, because sendMail answers 202 with no message id. */
  public static final String DELIVERY_ID_HEADER = "X-Comms-Delivery-Id";

  /** What the probe learned about the mailbox's user. */
  public record Probe(String mailbox, String id, String displayName) {}

  private static final RetryStrategy NO_RETRIES =
      new RetryStrategy() {
        @Override
        public int getMaxRetries() {
          return 0;
        }

        @Override
        public Duration calculateRetryDelay(int retryAttempts) {
          return Duration.ZERO;
        }
      };

  private final String name;
  private final String baseUrl;
  private final RetryPolicy retry;
  private final SecretMask mask;
  private final OkHttpExchanges exchanges;
  private final TokenAuthority authority;
  private final GraphSdk graph;

  public GraphMailbox(
      ProvidersContract.Provider p, String tenantId, String clientId, String clientSecret, RetryPolicy retry, HttpTrace trace) {
    this.name = p.name();
    this.baseUrl = p.baseUrl();
    this.retry = retry;
    this.mask = new SecretMask(List.of(tenantId, clientId, clientSecret));
    HttpTrace safe = mask.apply(trace);
    this.exchanges = new OkHttpExchanges(safe);

    String configured = p.authorityUrl() == null ? PUBLIC_AUTHORITY : p.authorityUrl();
    String credentialAuthority = configured.startsWith("https://") ? configured : PUBLIC_AUTHORITY;
    this.authority = new TokenAuthority(credentialAuthority, configured, safe);
    OkHttpClient tokenHttp =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofMillis(p.connectTimeoutMs()))
            .readTimeout(Duration.ofMillis(p.readTimeoutMs()))
            .retryOnConnectionFailure(false)
            .build();
    ClientSecretCredential credential =
        new ClientSecretCredentialBuilder()
            .tenantId(tenantId)
            .clientId(clientId)
            .clientSecret(clientSecret)
            .authorityHost(credentialAuthority)
            .disableInstanceDiscovery()
            .httpClient(new OkHttpAsyncHttpClientBuilder(tokenHttp).build())
            // One request per attempt: azure-core would otherwise retry 3 times with its own backoff.
            .retryPolicy(new com.azure.core.http.policy.RetryPolicy(NO_RETRIES))
            .addPolicy(authority)
            .build();

    // The Graph SDK's middleware minus its RetryHandler (which would retry 429/503 on its own), our
    // exchange recorder innermost, explicit timeouts.
    List<Interceptor> chain = new ArrayList<>();
    for (Interceptor i : GraphClientFactory.createDefaultGraphInterceptors(new GraphClientOption())) {
      if (!(i instanceof RetryHandler)) {
        chain.add(i);
      }
    }
    OkHttpClient http =
        OkHttpExchanges.client(GraphClientFactory.create(new GraphClientOption(), chain), p.connectTimeoutMs(), p.readTimeoutMs(), exchanges)
            .build();
    String graphHost = URI.create(baseUrl).getHost();
    // Without the host in the allowed list the provider silently sends no Authorization header.
    AzureIdentityAuthenticationProvider auth =
        new AzureIdentityAuthenticationProvider(
            credential, new String[] {graphHost, "graph.microsoft.com"}, "https://graph.microsoft.com/.default");
    this.graph = GraphSdk.load(auth, http, baseUrl);
  }

  public String name() {
    return name;
  }

  /** Extra request headers for every Graph request (tests ask Prism for error answers with {@code Prefer}). */
  void header(String name, String value) {
    exchanges.extraHeaders.put(name, value);
  }

  /**
   * Reads the mailbox's user resource ({@code GET users/{mailbox}}). Fails with exit 6 on no
   * response, a body that is not JSON, or an error answer, saying which.
   */
  public synchronized Probe probe(String mailbox) {
    String what = "graph probe of " + mailbox;
    return call(
        what,
        n -> {
          // The SDK builds, authenticates and sends the request; the answer is read as plain JSON,
          // because a probe asks only "is there a user with an id here", and must not fail on some
          // unrelated property of the large user model that the typed reader dislikes.
          sdk(what, n, () -> {
            graph.getUser(mailbox);
            return null;
          });
          Answer a = exchanges.last();
          Map<String, Object> user = a == null ? null : a.object();
          if (user == null || !(user.get("id") instanceof String id) || id.isBlank()) {
            throw new ProviderException(
                ProviderException.FAILED,
                "bad_response",
                what + ": Graph answered HTTP " + (a == null ? "?" : a.status()) + " with "
                    + (a == null || user == null ? "no JSON object" : "JSON that has no user id"),
                n);
          }
          return new Probe(mailbox, id, user.get("displayName") instanceof String d ? d : "");
        });
  }

  /**
   * The mailbox's messages matching {@code query} ({@code $search}; {@code *} lists the newest),
   * at most {@code top}: sender, subject, received time and id.
   */
  public synchronized List<MailboxSearch.Hit> search(String mailbox, String query, int top) {
    String what = "graph search of " + mailbox;
    String kql = kql(query);
    return call(
        what,
        n -> {
          List<MailboxSearch.Hit> hits = sdk(what, n, () -> graph.messages(mailbox, kql, top));
          if (hits == null || exchanges.last().object() == null) {
            throw new ProviderException(
                ProviderException.FAILED, "bad_response", what + ": Graph answered HTTP " + exchanges.last().status() + " without a message list", n);
          }
          return hits.subList(0, Math.min(top, hits.size()));
        });
  }

  /**
   * Sends a plain-text message from a pilot mailbox ({@code POST users/{from}/sendMail}), saved to
   * Sent Items, with {@code deliveryId} in the {@value #DELIVERY_ID_HEADER} header. Graph answers
   * 202 with no id, so the result's provider message id is our delivery id.
   */
  public synchronized DispatchResult sendMail(String fromMailbox, String to, String subject, String body, String deliveryId) {
    String what = "graph sendMail from " + fromMailbox;
    return call(
        what,
        n -> {
          try {
            sdk(what, n, () -> {
              graph.sendMail(fromMailbox, to, subject, body, DELIVERY_ID_HEADER, deliveryId);
              return null;
            });
          } catch (RetryPolicy.Retryable retryable) {
            Answer last = exchanges.last();
            if (last != null && !last.answered() && !last.neverSent()) {
              // sendMail has no idempotency key: once the request went out, asking again could send the message twice.
              throw new ProviderException(
                  ProviderException.FAILED,
                  "no_response",
                  what + ": no answer from " + baseUrl + " (" + Answer.reason(last.failure()) + ") after the request was sent;"
                      + " the message may have been sent, so it was not retried: check Sent Items of " + fromMailbox
                      + " before sending again",
                  n,
                  true);
            }
            throw retryable;
          }
          return new DispatchResult("sent", deliveryId, n);
        });
  }

  private <T> T call(String what, RetryPolicy.Attempt<T> attempt) {
    try {
      return retry.run(name, attempt);
    } catch (ProviderException e) {
      throw mask.apply(e);
    }
  }

  /**
   * Runs one SDK call and turns whatever went wrong into a verdict from the recorded exchanges: the
   * SDK reports an HTML page, an empty 200 and a refused token in very different ways.
   */
  private <T> T sdk(String what, int n, Supplier<T> call) {
    exchanges.forget();
    authority.forget();
    T result;
    try {
      result = call.get();
    } catch (ProviderException | RetryPolicy.Retryable e) {
      throw e;
    } catch (RuntimeException e) {
      throw classify(what, n, e);
    }
    Answer a = exchanges.last();
    if (a != null && a.success() && !a.body().isBlank() && a.object() == null) {
      throw notJson(what, a, n);
    }
    return result;
  }

  private RuntimeException classify(String what, int n, RuntimeException e) {
    Answer a = exchanges.last();
    if (a == null) {
      // Graph was never called: the token request failed (or the SDK refused to build the request).
      Answer t = authority.last();
      if (t == null) {
        return new ProviderException(
            ProviderException.FAILED, "client_error", what + ": the request could not be made (" + e.getClass().getSimpleName() + ")", n);
      }
      if (!t.answered()) {
        String r = t.reason();
        return new RetryPolicy.Retryable(r, "no_response", what + ": no response from the token authority (" + r + ")", null);
      }
      Map<String, Object> o = t.object();
      String code = o != null && o.get("error") instanceof String s ? s : null;
      String desc = o != null && o.get("error_description") instanceof String s ? firstLine(s) : o == null ? t.bodyKind() : null;
      if (t.retryableStatus()) {
        return new RetryPolicy.Retryable(String.valueOf(t.status()), code == null ? String.valueOf(t.status()) : code,
            what + ": the token authority answered HTTP " + t.status() + (desc == null ? "" : ": " + desc), t.retryAfter());
      }
      return new ProviderException(
          ProviderException.FAILED,
          code == null ? String.valueOf(t.status()) : code,
          what + ": the token authority refused the client credentials (HTTP " + t.status() + (code == null ? "" : ", " + code)
              + (desc == null ? "" : ": " + desc) + "); check the tenant id, client id and client secret variables",
          n);
    }
    if (a.answered() && a.success()) {
      if (a.body().isBlank()) {
        return new ProviderException(ProviderException.FAILED, "bad_response", what + ": Graph answered HTTP " + a.status() + " with an empty body", n);
      }
      if (a.object() == null) {
        return notJson(what, a, n);
      }
      return new ProviderException(
          ProviderException.FAILED,
          "bad_response",
          what + ": Graph answered HTTP " + a.status() + " with JSON the SDK could not read (" + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + ")",
          n);
    }
    // Graph's error shape: {"error": {"code": "ErrorAccessDenied", "message": "…"}}
    Map<String, Object> o = a.object();
    String code = null;
    String message = null;
    if (o != null && o.get("error") instanceof Map<?, ?> err) {
      code = err.get("code") instanceof String s ? s : null;
      message = err.get("message") instanceof String s ? s : null;
    } else if (a.answered()) {
      message = a.bodyKind();
    }
    return a.verdict(what, baseUrl, n, code, message);
  }

  private static ProviderException notJson(String what, Answer a, int n) {
    return new ProviderException(
        ProviderException.FAILED,
        "not_json",
        what + ": Graph answered HTTP " + a.status() + " with " + a.bodyKind() + "; check that base_url points at Microsoft Graph",
        n);
  }

  /** Our query language as Graph's $search (KQL in double quotes); null for "*" (newest first, no search). */
  static String kql(String query) {
    String q = query == null ? "" : query.trim();
    if (q.isEmpty() || q.equals("*")) {
      return null;
    }
    return "\"" + q.replace("\"", "") + "\"";
  }

  private static String firstLine(String s) {
    int i = s.indexOf('\n');
    String line = i < 0 ? s : s.substring(0, i);
    return line.replace("\r", "").trim();
  }
}
