package comms.core.provider;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A step in azure-identity's HTTP pipeline for token requests. azure-identity refuses a plain-http
 * authority, so the credential keeps an https one and this moves each request onto the contract's
 * authority_url (which may be a loopback test server). It also traces the exchange and keeps the
 * last {@link Answer}, so a refused or unreachable authority can be told apart from a Graph error.
 */
final class TokenAuthority implements HttpPipelinePolicy {
  private final URI from;
  private final URI to;
  private final HttpTrace trace;
  private volatile Answer last;

  /** {@code from}: the https authority the credential is built with; {@code to}: the configured one. */
  TokenAuthority(String from, String to, HttpTrace trace) {
    this.from = URI.create(strip(from));
    this.to = URI.create(strip(to));
    this.trace = trace;
  }

  private static String strip(String u) {
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    HttpRequest request = context.getHttpRequest();
    rewrite(request);
    long t0 = System.nanoTime();
    return next.process()
        .map(r -> answered(request, r.buffer(), t0))
        .doOnError(e -> failed(request, e, t0));
  }

  @Override
  public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    HttpRequest request = context.getHttpRequest();
    rewrite(request);
    long t0 = System.nanoTime();
    try {
      return answered(request, next.processSync().buffer(), t0);
    } catch (RuntimeException e) {
      failed(request, e, t0);
      throw e;
    }
  }

  private void rewrite(HttpRequest request) {
    URI u = URI.create(request.getUrl().toString());
    if (!same(u, from) || same(from, to)) {
      return;
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    String fromPath = from.getRawPath() == null ? "" : from.getRawPath();
    if (path.startsWith(fromPath)) {
      path = path.substring(fromPath.length());
    }
    String toPath = to.getRawPath() == null ? "" : to.getRawPath();
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    request.setUrl(to.getScheme() + "://" + to.getRawAuthority() + toPath + path + query);
  }

  private static boolean same(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private HttpResponse answered(HttpRequest request, HttpResponse r, long t0) {
    String body;
    try {
      body = r.getBodyAsBinaryData() == null ? "" : r.getBodyAsBinaryData().toString();
    } catch (RuntimeException e) {
      body = "";
    }
    last = Answer.of(r.getStatusCode(), r.getHeaderValue(HttpHeaderName.CONTENT_TYPE), body, r.getHeaderValue(HttpHeaderName.RETRY_AFTER));
    trace.exchange(new HttpTrace.Exchange(request.getHttpMethod().toString(), host(request), path(request), r.getStatusCode(), null, since(t0)));
    return r;
  }

  private void failed(HttpRequest request, Throwable e, long t0) {
    IOException io = Answer.transportCause(e);
    if (io == null) {
      io = new IOException(e.getClass().getSimpleName());
    }
    last = Answer.none(io);
    trace.exchange(new HttpTrace.Exchange(request.getHttpMethod().toString(), host(request), path(request), 0, Answer.reason(io), since(t0)));
  }

  private static String host(HttpRequest r) {
    return r.getUrl().getPort() < 0 ? r.getUrl().getHost() : r.getUrl().getHost() + ":" + r.getUrl().getPort();
  }

  /** The path without the tenant id: /{tenant}/oauth2/v2.0/token. */
  private static String path(HttpRequest r) {
    String p = r.getUrl().getPath();
    int i = p.indexOf("/oauth2/");
    return i > 0 ? p.substring(0, p.lastIndexOf('/', i - 1) + 1) + "{tenant}" + p.substring(i) : p;
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
