package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import comms.cli.CliRun;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a bearer token is refused, through real HTTP on loopback: each a 401 in the one error shape. */
class ServeAuthTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static final Instant NOW = Instant.parse(ServeFixture.NOW);

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String hs256(String secret, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static JWTClaimsSet.Builder claims(String sub, Instant iat, Duration life) {
    return new JWTClaimsSet.Builder().subject(sub).issueTime(iat == null ? null : Date.from(iat)).expirationTime(Date.from((iat == null ? NOW : iat).plus(life)));
  }

  void refused(String token, String code, String says) {
    ServeFixture.Answer a = f.get("/api/sequences", token);
    assertEquals(401, a.status(), a::toString);
    assertEquals(code, a.error().get("code"), a::toString);
    assertTrue(((String) a.error().get("message")).contains(says), a::toString);
    assertNotNull(a.header("WWW-Authenticate"), a::toString);
    assertFalse(a.body().contains("Exception") || a.body().contains("\tat "), a::toString);
  }

  @Test
  void healthAndTheUsageContractNeedNoToken() {
    ServeFixture.Answer h = f.get("/healthz", null);
    assertEquals(200, h.status(), h::toString);
    assertEquals("ok", h.json().get("status"));
    ServeFixture.Answer md = f.get("/AGENTS.md", null);
    assertEquals(200, md.status(), md::toString);
    assertTrue(md.header("Content-Type").startsWith("text/markdown"), md::toString);
    // Generated from the running contracts: the sample's window, tiers, limits and forbidden patterns.
    assertTrue(md.body().contains("08:00–20:00"), md::body);
    assertTrue(md.body().contains("| 51–500 | `X-Approval: confirm:<approver_email>` |"), md::body);
    assertTrue(md.body().contains("| 1001+ | `X-Approval: token:<approval_token>` |"), md::body);
    assertTrue(md.body().contains("More than 2,000 recipients in one call"), md::body);
    assertTrue(md.body().contains("(card-number)"), md::body);
    assertTrue(md.body().contains("| POST | `/api/sequences/{id}/launch` | bearer |"), md::body);
    assertTrue(md.body().contains("default 1000"), md::body);
    assertTrue(md.body().contains("| POST | `/webhooks/resend` | Svix signature |"), md::body);
    assertTrue(md.body().contains("| GET | `/api/snippets` | bearer |") && md.body().contains("| POST | `/api/suppressions` | bearer |"), md::body);
  }

  @Test
  void aValidTokenIsAccepted() {
    ServeFixture.Answer a = f.get("/api/sequences", f.token(ServeFixture.OPERATOR));
    assertEquals(200, a.status(), a::toString);
  }

  @Test
  void noTokenOrAMalformedHeader() {
    refused(null, "unauthenticated", "Authorization: Bearer");
    ServeFixture.Answer a = f.send(HttpRequest.newBuilder(URI.create(f.base + "/api/sequences")).header("Authorization", "Basic abc").GET().build());
    assertEquals(401, a.status(), a::toString);
    refused("not.a.jwt", "invalid_token", "not a JWT");
  }

  @Test
  void anExpiredTokenSaysToRefresh() {
    BearerTokens earlier = BearerTokens.from(f.env, Clock.fixed(NOW.minus(Duration.ofMinutes(20)), ZoneOffset.UTC));
    refused(earlier.mint(ServeFixture.OPERATOR, BearerTokens.Scope.API, Duration.ofMinutes(15)), "token_expired", "refresh it");
  }

  @Test
  void aWrongSignatureIsRefused() throws Exception {
    refused(hs256("another-secret-that-is-long-enough-0123456789", claims(ServeFixture.OPERATOR, NOW, Duration.ofMinutes(5)).build()), "invalid_token", "signature does not verify");
  }

  @Test
  void algNoneIsRefused() {
    String unsigned = new PlainJWT(claims(ServeFixture.OPERATOR, NOW, Duration.ofMinutes(5)).build()).serialize();
    refused(unsigned, "invalid_token", "alg none");
  }

  @Test
  void anotherAlgorithmIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims(ServeFixture.OPERATOR, NOW, Duration.ofMinutes(5)).build());
    jwt.sign(new RSASSASigner(key));
    refused(jwt.serialize(), "invalid_token", "alg RS256 is not accepted");
  }

  @Test
  void aMissingOrFutureIatIsRefused() throws Exception {
    refused(hs256(ServeFixture.SECRET, claims(ServeFixture.OPERATOR, null, Duration.ofMinutes(5)).build()), "invalid_token", "no iat");
    refused(hs256(ServeFixture.SECRET, claims(ServeFixture.OPERATOR, NOW.plus(Duration.ofMinutes(5)), Duration.ofMinutes(5)).build()), "invalid_token", "in the future");
  }

  @Test
  void aTokenLivingLongerThanFifteenMinutesIsRefused() throws Exception {
    refused(hs256(ServeFixture.SECRET, claims(ServeFixture.OPERATOR, NOW, Duration.ofMinutes(16)).build()), "invalid_token", "at most 900 s");
    refused(hs256(ServeFixture.SECRET, new JWTClaimsSet.Builder().subject(ServeFixture.OPERATOR).issueTime(Date.from(NOW)).build()), "invalid_token", "no exp");
  }

  @Test
  void anUnknownOrInactiveOperatorIsRefused() {
    refused(f.token("nobody@lakesideprint.com"), "unknown_operator", "not an active operator");
    f.ok("yes\n", "operators.add", "--email", "gone@lakesideprint.com", "--name", "Gone Soon", "--as", ServeFixture.ADMIN, "--execute");
    String gone = f.token("gone@lakesideprint.com");
    assertEquals(200, f.get("/api/sequences", gone).status());
    f.ok("yes\n", "operators.update", "--email", "gone@lakesideprint.com", "--active", "false", "--as", ServeFixture.ADMIN, "--execute");
    refused(gone, "unknown_operator", "not an active operator");
  }

  @Test
  void aLoginLinkIsNotAnApiToken() {
    refused(f.tokens.mint(ServeFixture.OPERATOR, BearerTokens.Scope.LOGIN, Duration.ofSeconds(60)), "invalid_token", "login link is not an API token");
  }

  @Test
  void theCommandMintsATokenTheServerAcceptsAndWritesItNowhere() throws Exception {
    CliRun.Result r = f.cli().run("auth.token", "--as", ServeFixture.OPERATOR, "--ttl", "5m");
    assertEquals(0, r.exit(), r::toString);
    String token = r.out().strip();
    assertEquals(200, f.get("/api/status", token).status());
    try (var files = java.nio.file.Files.walk(f.outbox)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (java.nio.file.Files.isRegularFile(p)) {
          assertFalse(new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(token), () -> "the token is in " + p);
        }
      }
    }
    CliRun.Result tooLong = f.cli().run("auth.token", "--as", ServeFixture.OPERATOR, "--ttl", "20m");
    assertEquals(2, tooLong.exit(), tooLong::toString);
    CliRun.Result noSecret = new CliRun(f.outbox).run("auth.token", "--as", ServeFixture.OPERATOR);
    assertEquals(3, noSecret.exit(), noSecret::toString);
    assertTrue(noSecret.err().contains("COMMS_JWT_SECRET is not set"), noSecret::toString);
    CliRun.Result json = f.cli().run("auth.token", "--as", ServeFixture.ADMIN, "-o", "json");
    assertEquals(0, json.exit(), json::toString);
    assertTrue(json.out().contains("\"token_type\": \"Bearer\""), json::toString);
  }

  @Test
  void errorsHaveOneShapeAndUnknownPathsAndMethodsAreNamed() {
    ServeFixture.Answer a = f.get("/api/nothing-here", f.token(ServeFixture.OPERATOR));
    assertEquals(404, a.status(), a::toString);
    assertEquals(Map.of("code", "not_found", "message", "no endpoint /api/nothing-here; GET /AGENTS.md lists them"), a.error());
    ServeFixture.Answer m = f.post("/healthz", null, Map.of());
    assertEquals(405, m.status(), m::toString);
    assertEquals("GET", m.header("Allow"));
    assertEquals("method_not_allowed", m.error().get("code"));
  }
}
