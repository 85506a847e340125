package comms.cli.serve;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;

/**
 * Per-operator bearer tokens: HS256 JWTs signed with the shared secret in {@value #SECRET_ENV} (the
 * Supabase project JWT secret style), minted and verified with nimbus-jose-jwt. A token names its
 * operator in {@code sub}, lives at most {@link #API_LIFETIME} ({@link #LOGIN_LIFETIME} for a one-time
 * dashboard login link), and says what it is for in {@code scope}, so a login link is never an API
 * token and the other way round.
 */
public final class BearerTokens {
  public static final String SECRET_ENV = "COMMS_JWT_SECRET";
  public static final Duration API_LIFETIME = Duration.ofMinutes(15);
  public static final Duration LOGIN_LIFETIME = Duration.ofSeconds(60);
  /** How far a client's clock may run ahead of ours before its iat counts as in the future. */
  static final Duration SKEW = Duration.ofSeconds(30);

  /** What a token is for: calling the API, or logging in to the dashboard once. */
  public enum Scope {
    API("api", API_LIFETIME),
    LOGIN("dashboard_login", LOGIN_LIFETIME);

    final String claim;
    final Duration maxLifetime;

    Scope(String claim, Duration maxLifetime) {
      this.claim = claim;
      this.maxLifetime = maxLifetime;
    }
  }

  /** A verified token: its operator, id and expiry. */
  public record Verified(String subject, String id, Instant expiresAt) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;
  private final Clock clock;

  private BearerTokens(byte[] secret, Clock clock) {
    this.secret = secret;
    this.clock = Objects.requireNonNull(clock);
  }

  /** The tokens of {@code env}'s {@value #SECRET_ENV}; refused (exit 3) when it is unset or shorter than 32 bytes. */
  public static BearerTokens from(Map<String, String> env, Clock clock) {
    String s = env.get(SECRET_ENV);
    if (s == null || s.isBlank()) {
      throw new CommsException(
          ExitCode.CONTRACT, SECRET_ENV + " is not set; set it to the shared HS256 secret (at least 32 bytes, e.g. openssl rand -base64 48) before serving or minting tokens");
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 32) {
      throw new CommsException(ExitCode.CONTRACT, SECRET_ENV + " is " + b.length + " bytes; HS256 needs a secret of at least 32 bytes (256 bits)");
    }
    return new BearerTokens(b, clock);
  }

  /** A signed token for {@code email}, issued now and living {@code lifetime} (at most the scope's limit). */
  public String mint(String email, Scope scope, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(scope.maxLifetime) > 0) {
      throw CommsException.usage("a " + scope.claim + " token lives more than 0 s and at most " + scope.maxLifetime.toSeconds() + " s, not " + lifetime.toSeconds() + " s");
    }
    Instant now = clock.instant();
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(email)
            .claim("email", email)
            .claim("scope", scope.claim)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new CommsException(ExitCode.INTERNAL, "could not sign the token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /**
   * Verifies {@code token} for {@code scope}: HS256 only (alg none and every other algorithm refused),
   * a valid signature, an {@code iat} that is present and not in the future, an {@code exp} at most the
   * scope's lifetime after it and not passed. Any failure is a 401 saying which; an expired token says to
   * refresh.
   */
  public Verified verify(String token, Scope scope) {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw ApiError.unauthorized("invalid_token", "the bearer token is not a JWT (" + e.getMessage() + ")");
    }
    if (parsed instanceof PlainJWT) {
      throw ApiError.unauthorized("invalid_token", "an unsigned token (alg none) is refused; send an HS256 token");
    }
    if (!(parsed instanceof SignedJWT jwt)) {
      throw ApiError.unauthorized("invalid_token", "an encrypted token is not accepted; send an HS256-signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw ApiError.unauthorized("invalid_token", "alg " + jwt.getHeader().getAlgorithm() + " is not accepted; this server verifies HS256 tokens");
    }
    try {
      if (!jwt.verify(new MACVerifier(secret))) {
        throw ApiError.unauthorized("invalid_token", "the token's signature does not verify; it was not issued with this server's secret");
      }
    } catch (JOSEException e) {
      throw ApiError.unauthorized("invalid_token", "the token's signature cannot be checked (" + e.getMessage() + ")");
    }
    JWTClaimsSet c;
    try {
      c = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw ApiError.unauthorized("invalid_token", "the token's claims are not a JSON object");
    }
    Instant now = clock.instant();
    if (c.getIssueTime() == null) {
      throw ApiError.unauthorized("invalid_token", "the token has no iat (issued-at) claim; tokens must say when they were issued");
    }
    Instant iat = c.getIssueTime().toInstant();
    if (iat.isAfter(now.plus(SKEW))) {
      throw ApiError.unauthorized("invalid_token", "the token's iat " + iat + " is in the future (the server's clock says " + now + ")");
    }
    if (c.getExpirationTime() == null) {
      throw ApiError.unauthorized("invalid_token", "the token has no exp claim; tokens live at most " + scope.maxLifetime.toMinutes() + " minutes");
    }
    Instant exp = c.getExpirationTime().toInstant();
    if (Duration.between(iat, exp).compareTo(scope.maxLifetime) > 0) {
      throw ApiError.unauthorized(
          "invalid_token", "the token lives " + Duration.between(iat, exp).toSeconds() + " s; at most " + scope.maxLifetime.toSeconds() + " s after iat is accepted");
    }
    if (!exp.isAfter(now)) {
      throw ApiError.unauthorized(
          "token_expired",
          scope == Scope.LOGIN
              ? "this login link expired at " + exp + "; run comms dashboard.open --as EMAIL for a new one"
              : "the token expired at " + exp + "; refresh it (a new token from your identity provider, or comms auth.token --as EMAIL) and retry");
    }
    if (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
      throw ApiError.unauthorized("invalid_token", "the token is not valid before " + c.getNotBeforeTime().toInstant());
    }
    Object sc = c.getClaim("scope");
    if (scope == Scope.LOGIN ? !scope.claim.equals(sc) : Scope.LOGIN.claim.equals(sc)) {
      throw ApiError.unauthorized(
          "invalid_token", scope == Scope.LOGIN ? "this is not a dashboard login link" : "a dashboard login link is not an API token; mint one with comms auth.token --as EMAIL");
    }
    String sub = c.getSubject();
    if (sub == null || sub.isBlank()) {
      Object email = c.getClaim("email");
      sub = email instanceof String e ? e : null;
    }
    if (sub == null || sub.isBlank()) {
      throw ApiError.unauthorized("invalid_token", "the token names no operator (sub or email)");
    }
    return new Verified(sub, c.getJWTID(), exp);
  }
}
