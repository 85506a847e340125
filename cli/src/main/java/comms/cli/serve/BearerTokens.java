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
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import comms.core.contract.OperatorsContract;
import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-operator bearer tokens: HS256 JWTs signed with the shared secret in {@value #SECRET_ENV} (the
 * Supabase project JWT secret style), minted and verified with nimbus-jose-jwt; with the operators
 * contract's {@code api_tokens.jwks_url}, also RS256/ES256 tokens of an identity provider. A token names its
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
  /** The identity provider's public keys (RS256/ES256 tokens), or null: HS256 only. */
  private final JWKSource<SecurityContext> jwks;
  private final Set<JWSAlgorithm> jwksAlgorithms;

  private BearerTokens(byte[] secret, Clock clock, JWKSource<SecurityContext> jwks, Set<JWSAlgorithm> jwksAlgorithms) {
    this.secret = secret;
    this.clock = Objects.requireNonNull(clock);
    this.jwks = jwks;
    this.jwksAlgorithms = Set.copyOf(jwksAlgorithms);
  }

  /**
   * These tokens, also accepting RS256/ES256 tokens whose keys the contract's {@code api_tokens.jwks_url}
   * serves (fetched when first needed, then cached by nimbus's JWKSourceBuilder); unchanged for {@code NONE}.
   */
  public BearerTokens with(OperatorsContract.ApiTokens apiTokens) {
    if (apiTokens == null || apiTokens.jwksUrl() == null) {
      return this;
    }
    JWKSource<SecurityContext> source;
    try {
      source = JWKSourceBuilder.create(apiTokens.jwksUrl().toURL()).retrying(true).build();
    } catch (java.net.MalformedURLException e) {
      throw new CommsException(ExitCode.CONTRACT, "api_tokens.jwks_url " + apiTokens.jwksUrl() + " is not a URL: " + e.getMessage());
    }
    Set<JWSAlgorithm> algs = new java.util.HashSet<>();
    apiTokens.algorithms().forEach(a -> algs.add(JWSAlgorithm.parse(a)));
    return new BearerTokens(secret, clock, source, algs);
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
    return new BearerTokens(b, clock, null, Set.of());
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

  /** Checks the signature against the JWKS key the header names (by kid and algorithm); nimbus selects and verifies. */
  private void verifyWithJwks(SignedJWT jwt, JWSAlgorithm alg) {
    List<? extends Key> keys;
    try {
      keys = new JWSVerificationKeySelector<>(alg, jwks).selectJWSKeys(jwt.getHeader(), null);
    } catch (KeySourceException e) {
      throw new ApiError(503, "jwks_unavailable", "the identity provider's keys (api_tokens.jwks_url) could not be read; try again shortly");
    }
    if (keys.isEmpty()) {
      throw ApiError.unauthorized("invalid_token", "no key of the JWKS matches the token's kid " + jwt.getHeader().getKeyID() + " and alg " + alg);
    }
    DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
    for (Key k : keys) {
      try {
        if (jwt.verify(factory.createJWSVerifier(jwt.getHeader(), k))) {
          return;
        }
      } catch (JOSEException e) {
        // a key of another type under the same kid: try the next
      }
    }
    throw ApiError.unauthorized("invalid_token", "the token's signature does not verify with the JWKS key it names");
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
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (JWSAlgorithm.HS256.equals(alg)) {
      try {
        if (!jwt.verify(new MACVerifier(secret))) {
          throw ApiError.unauthorized("invalid_token", "the token's signature does not verify; it was not issued with this server's secret");
        }
      } catch (JOSEException e) {
        throw ApiError.unauthorized("invalid_token", "the token's signature cannot be checked (" + e.getMessage() + ")");
      }
    } else if (scope == Scope.API && jwks != null && jwksAlgorithms.contains(alg)) {
      verifyWithJwks(jwt, alg);
    } else {
      throw ApiError.unauthorized(
          "invalid_token",
          "alg " + alg + " is not accepted; this server verifies HS256 tokens" + (jwks == null ? "" : " and " + jwksAlgorithms + " tokens signed with a key of its JWKS"));
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
