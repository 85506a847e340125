package comms.core.provider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Blanks secret values out of anything an adapter says: an SDK or a provider may echo an account
 * id, tenant or key in an error text or a URL, and none of it may reach output, receipts or logs.
 */
final class SecretMask {
  private final List<String> secrets = new ArrayList<>();

  SecretMask(Collection<String> values) {
    for (String v : values) {
      // Very short values would blank out ordinary words; real secrets are long.
      if (v != null && v.length() >= 4) {
        secrets.add(v);
      }
    }
    secrets.sort((a, b) -> b.length() - a.length());
  }

  /**
   * Credentials a provider or proxy may quote back from our request: the Authorization header's
   * value (Twilio's Basic is base64 of two secrets, Graph's Bearer a live access token neither of
   * which is among the configured values) and a bare JWT.
   */
  private static final java.util.regex.Pattern CREDENTIALS =
      java.util.regex.Pattern.compile("(?i)\\b(Basic|Bearer)(\\s+)[A-Za-z0-9._~+/=-]{16,}|\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

  String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return CREDENTIALS.matcher(out).replaceAll(m -> m.group(1) == null ? "***" : m.group(1) + m.group(2) + "***");
  }

  ProviderException apply(ProviderException e) {
    String m = apply(e.getMessage());
    return m.equals(e.getMessage()) ? e : new ProviderException(e.status(), apply(e.errorCode()), m, e.attempts(), e.mayHaveSent());
  }

  HttpTrace apply(HttpTrace trace) {
    if (trace == HttpTrace.NONE) {
      return trace;
    }
    return x ->
        trace.exchange(
            new HttpTrace.Exchange(x.method(), apply(x.host()), apply(x.path()), x.status(), apply(x.failure()), x.took()));
  }
}
