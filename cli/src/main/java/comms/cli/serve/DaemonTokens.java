package comms.cli.serve;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The iMessage daemon's identity: HS256 JWTs signed with a secret of its own ({@value #SECRET_ENV},
 * never the operators' {@value BearerTokens#SECRET_ENV}), {@code scope} {@value #SCOPE}, {@code sub}
 * the daemon's name, living at most {@link #LIFETIME}. The daemon mints one per poll from the secret
 * it shares with the Worker; such a token opens only the iMessage daemon endpoints, and an
 * operator's token does not open them.
 */
public final class DaemonTokens {
  public static final String SECRET_ENV = "COMMS_IMESSAGE_DAEMON_SECRET";
  public static final String SCOPE = "imessage_daemon";
  public static final Duration LIFETIME = Duration.ofMinutes(5);
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private final byte[] secret;
  private final Clock clock;

  private DaemonTokens(byte[] secret, Clock clock) {
    this.secret = secret;
    this.clock = Objects.requireNonNull(clock);
  }

  /** The daemon tokens of {@code env}; refused (exit 3) when the secret is unset, short, or the operators' secret. */
  public static DaemonTokens from(Map<String, String> env, Clock clock) {
    String s = env.get(SECRET_ENV);
    if (s == null || s.isBlank()) {
      throw new CommsException(
          ExitCode.CONTRACT, SECRET_ENV + " is not set; set the same secret (at least 32 bytes, e.g. openssl rand -base64 48) for comms serve and the iMessage daemon");
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 32) {
      throw new CommsException(ExitCode.CONTRACT, SECRET_ENV + " is " + b.length + " bytes; it needs at least 32");
    }
    String operators = env.get(BearerTokens.SECRET_ENV);
    if (operators != null && Arrays.equals(b, operators.getBytes(StandardCharsets.UTF_8))) {
      throw new CommsException(
          ExitCode.CONTRACT, SECRET_ENV + " is the same as " + BearerTokens.SECRET_ENV + "; give the daemon a secret of its own, so it can never mint an operator's token");
    }
    return new DaemonTokens(b, clock);
  }

  /** A token for daemon {@code name}, issued now. */
  public String mint(String name) {
    if (!NAME.matcher(name).matches()) {
      throw CommsException.usage("--daemon-id '" + name + "' must be 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder().subject(name).claim("scope", SCOPE).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new CommsException(ExitCode.INTERNAL, "could not sign the daemon token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** The daemon a bearer token names; 401 for anything but a valid, current daemon token. */
  String verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw ApiError.unauthorized("invalid_token", "the bearer token is not a signed JWT; the daemon signs its token with " + SECRET_ENV);
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw ApiError.unauthorized("invalid_token", "a daemon token is HS256-signed; alg " + jwt.getHeader().getAlgorithm() + " is refused");
    }
    try {
      if (!jwt.verify(new MACVerifier(secret))) {
        throw ApiError.unauthorized("invalid_token", "not a daemon token: its signature does not verify with " + SECRET_ENV + " (an operator's token does not open the daemon endpoints)");
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      if (!SCOPE.equals(c.getClaim("scope"))) {
        throw ApiError.unauthorized("invalid_token", "the token's scope is not " + SCOPE);
      }
      if (c.getIssueTime() == null || c.getExpirationTime() == null) {
        throw ApiError.unauthorized("invalid_token", "a daemon token carries iat and exp");
      }
      Instant iat = c.getIssueTime().toInstant();
      Instant exp = c.getExpirationTime().toInstant();
      if (iat.isAfter(now.plus(BearerTokens.SKEW)) || Duration.between(iat, exp).compareTo(LIFETIME) > 0) {
        throw ApiError.unauthorized("invalid_token", "the daemon token's iat is in the future or it lives longer than " + LIFETIME.toMinutes() + " minutes");
      }
      if (!exp.isAfter(now)) {
        throw ApiError.unauthorized("token_expired", "the daemon token expired at " + exp + "; the daemon mints a new one for each poll");
      }
      String sub = c.getSubject();
      if (sub == null || !NAME.matcher(sub).matches()) {
        throw ApiError.unauthorized("invalid_token", "the daemon token names no daemon (sub)");
      }
      return sub;
    } catch (JOSEException | ParseException e) {
      throw ApiError.unauthorized("invalid_token", "the daemon token cannot be checked (" + e.getMessage() + ")");
    }
  }
}
