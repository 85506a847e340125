package comms.cli.serve;

import comms.core.outbox.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sessions, kept in this server's memory only (they are short-lived, so a restart simply asks
 * people to open a new link): the ids of login links already used (each works once, within its 60 s),
 * and the sessions they opened, by the SHA-256 of the cookie value, for at most {@link #LIFETIME}.
 */
final class Sessions {
  static final String COOKIE = "comms_session";
  static final Duration LIFETIME = Duration.ofMinutes(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Session(String operator, Instant expiresAt) {}

  private final Map<String, Instant> spentLinks = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Spends the login link {@code linkId} (valid until {@code linkExpires}) and opens a session for
   * {@code operator}; the cookie value is returned once. A link used before is refused (401).
   */
  String open(String linkId, Instant linkExpires, String operator) {
    purge();
    if (linkId == null || linkId.isBlank()) {
      throw ApiError.unauthorized("invalid_token", "this login link has no id (jti); open a new one with comms dashboard.open --as EMAIL");
    }
    if (spentLinks.putIfAbsent(linkId, linkExpires) != null) {
      throw ApiError.unauthorized("link_used", "this login link was already used; links work once. Run comms dashboard.open --as EMAIL for a new one");
    }
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    sessions.put(Sha256.hex(value), new Session(operator, clock.instant().plus(LIFETIME)));
    return value;
  }

  /** The operator of a live session cookie, if it is one. */
  Optional<String> operator(String cookieValue) {
    if (cookieValue == null || cookieValue.isBlank()) {
      return Optional.empty();
    }
    Session s = sessions.get(Sha256.hex(cookieValue));
    if (s == null || !s.expiresAt().isAfter(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(s.operator());
  }

  /** The Set-Cookie header of a new session: HttpOnly, SameSite=Strict, Secure behind TLS, 15 minutes. */
  static String cookie(String value, boolean secure) {
    return COOKIE + "=" + value + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The session cookie's value in a Cookie header, else null. */
  static String fromHeader(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (String part : cookieHeader.split(";")) {
      String p = part.strip();
      if (p.startsWith(COOKIE + "=")) {
        return p.substring(COOKIE.length() + 1);
      }
    }
    return null;
  }

  private void purge() {
    Instant now = clock.instant();
    spentLinks.values().removeIf(exp -> exp.isBefore(now.minus(BearerTokens.SKEW)));
    sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
  }
}
