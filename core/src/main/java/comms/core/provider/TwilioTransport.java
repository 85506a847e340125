package comms.core.provider;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.HttpUtility;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK's HTTP client, moved onto the contract's base_url. The SDK has no base-URL option
 * (it always builds https://api.twilio.com/…), so this keeps each request's path, query, form and
 * auth and sends it to the configured base instead, with explicit connect and read timeouts, no
 * retries of its own (the shared {@link RetryPolicy} counts attempts), and one trace line per
 * exchange. It remembers the last {@link Answer} so a failure can be classified afterwards.
 */
final class TwilioTransport extends NetworkHttpClient {
  private final String base;
  private final RequestConfig config;
  private final HttpTrace trace;
  private final String accountSid;
  /** Extra request headers; tests use it to ask Prism for an error answer ({@code Prefer: code=429}). */
  final Map<String, String> extraHeaders = new LinkedHashMap<>();
  private Answer last;

  TwilioTransport(String baseUrl, int connectTimeoutMs, int readTimeoutMs, String accountSid, HttpTrace trace) {
    super(builder(connectTimeoutMs, readTimeoutMs));
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.config =
        RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
            .setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMs))
            .build();
    this.accountSid = accountSid;
    this.trace = trace;
  }

  private static HttpClientBuilder builder(int connectTimeoutMs, int readTimeoutMs) {
    ConnectionConfig connection =
        ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
            .setSocketTimeout(Timeout.ofMilliseconds(readTimeoutMs))
            .build();
    return HttpClientBuilder.create()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDefaultConnectionConfig(connection).build())
        .disableAutomaticRetries()
        .disableCookieManagement();
  }

  /** One request per call: the SDK's own loop would retry 5xx three more times behind our back. */
  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    URL sdkUrl = request.constructURL();
    String target = base + sdkUrl.getFile();
    URI uri = URI.create(target);
    HttpMethod method = request.getMethod();
    HttpUriRequestBase http = new HttpUriRequestBase(method.toString(), uri);
    http.setConfig(config);
    if (request.requiresAuthentication()) {
      http.addHeader(HttpHeaders.AUTHORIZATION, request.getAuthString());
    }
    for (Map.Entry<String, List<String>> h : request.getHeaderParams().entrySet()) {
      for (String v : h.getValue()) {
        http.addHeader(h.getKey(), v);
      }
    }
    extraHeaders.forEach(http::addHeader);
    if (method != HttpMethod.GET) {
      List<NameValuePair> form = new ArrayList<>();
      for (Map.Entry<String, List<String>> p : request.getPostParams().entrySet()) {
        for (String v : p.getValue()) {
          form.add(new BasicNameValuePair(p.getKey(), v));
        }
      }
      http.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
    }
    http.addHeader(HttpHeaders.USER_AGENT, HttpUtility.getUserAgentString(request.getUserAgentExtensions(), true));

    String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String path = accountSid == null ? uri.getPath() : uri.getPath().replace(accountSid, "{AccountSid}");
    long t0 = System.nanoTime();
    try {
      Response response =
          client.execute(
              http,
              r -> {
                byte[] body = r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity());
                Header type = r.getFirstHeader(HttpHeaders.CONTENT_TYPE);
                Header retryAfter = r.getFirstHeader(HttpHeaders.RETRY_AFTER);
                last =
                    Answer.of(
                        r.getCode(),
                        type == null ? null : type.getValue(),
                        new String(body, StandardCharsets.UTF_8),
                        retryAfter == null ? null : retryAfter.getValue());
                return new Response(new ByteArrayInputStream(body), r.getCode(), r.getHeaders());
              });
      trace.exchange(new HttpTrace.Exchange(method.toString(), host, path, response.getStatusCode(), null, since(t0)));
      return response;
    } catch (IOException e) {
      last = Answer.none(e);
      trace.exchange(new HttpTrace.Exchange(method.toString(), host, path, 0, Answer.reason(e), since(t0)));
      // What the SDK itself throws for a transport failure; the adapter reads `last` for the cause.
      throw new ApiException("no response from " + host, e);
    }
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** The answer to the most recent request, or null before the first. */
  Answer last() {
    return last;
  }

  void forget() {
    last = null;
  }
}
