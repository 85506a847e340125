package comms.core.provider;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The innermost OkHttp interceptor of the Resend and Graph clients: sees every real HTTP exchange,
 * traces it as one line, and keeps the last {@link Answer} (status, Retry-After, a peek at the
 * body) so a failure the SDK reports vaguely can be classified exactly.
 */
final class OkHttpExchanges implements Interceptor {
  private static final long PEEK_LIMIT = 4L * 1024 * 1024;

  private final HttpTrace trace;
  /** Extra request headers; tests use it to ask Prism for an error answer ({@code Prefer: code=429}). */
  final Map<String, String> extraHeaders = new LinkedHashMap<>();
  private volatile Answer last;

  OkHttpExchanges(HttpTrace trace) {
    this.trace = trace;
  }

  /** A client with explicit timeouts, no silent retries or redirects, and this interceptor innermost. */
  static OkHttpClient.Builder client(OkHttpClient.Builder b, int connectTimeoutMs, int readTimeoutMs, OkHttpExchanges exchanges) {
    return b.connectTimeout(Duration.ofMillis(connectTimeoutMs))
        .readTimeout(Duration.ofMillis(readTimeoutMs))
        .writeTimeout(Duration.ofMillis(readTimeoutMs))
        .callTimeout(Duration.ZERO)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .addInterceptor(exchanges);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!extraHeaders.isEmpty()) {
      Request.Builder b = request.newBuilder();
      extraHeaders.forEach(b::header);
      request = b.build();
    }
    HttpUrl url = request.url();
    String host = url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
    long t0 = System.nanoTime();
    try {
      Response r = chain.proceed(request);
      String body = r.peekBody(PEEK_LIMIT).string();
      last = Answer.of(r.code(), r.header("Content-Type"), body, r.header("Retry-After"));
      trace.exchange(new HttpTrace.Exchange(request.method(), host, url.encodedPath(), r.code(), null, since(t0)));
      return r;
    } catch (IOException e) {
      last = Answer.none(e);
      trace.exchange(new HttpTrace.Exchange(request.method(), host, url.encodedPath(), 0, Answer.reason(e), since(t0)));
      throw e;
    }
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  Answer last() {
    return last;
  }

  void forget() {
    last = null;
  }
}
