package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import comms.cli.CliRun;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RS256 and ES256 tokens of an identity provider, verified with the keys its JWKS URL (named in the operators contract) serves. */
class ServeJwksTest {
  @TempDir static Path tmp;
  static HttpServer idp;
  static ServeFixture f;
  static RSAKey rsa;
  static ECKey ec;
  static RSAKey stranger;
  static final Instant NOW = Instant.parse(ServeFixture.NOW);

  @BeforeAll
  static void start() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    byte[] jwks = new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
    idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext("/.well-known/jwks.json", x -> {
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, jwks.length);
      x.getResponseBody().write(jwks);
      x.close();
    });
    idp.start();
    Path b = CliRun.copyBindings(tmp);
    String url = "http://127.0.0.1:" + idp.getAddress().getPort() + "/.well-known/jwks.json";
    CliRun.edit(b, "communications.operators.yaml", "operators:\n", "api_tokens:\n  jwks_url: " + url + "\noperators:\n");
    f = new ServeFixture(tmp, b);
  }

  @AfterAll
  static void stop() {
    f.close();
    idp.stop(0);
  }

  static String signed(JWSAlgorithm alg, String kid, com.nimbusds.jose.JWSSigner signer, Duration life) throws Exception {
    JWTClaimsSet c = new JWTClaimsSet.Builder().subject(ServeFixture.OPERATOR).issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(life))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), c);
    jwt.sign(signer);
    return jwt.serialize();
  }

  @Test
  void rs256AndEs256TokensFromTheJwksAreAccepted() throws Exception {
    ServeFixture.Answer r = f.get("/api/status", signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), Duration.ofMinutes(10)));
    assertEquals(200, r.status(), r::toString);
    ServeFixture.Answer e = f.get("/api/status", signed(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec), Duration.ofMinutes(10)));
    assertEquals(200, e.status(), e::toString);
    assertEquals(200, f.get("/api/status", f.token(ServeFixture.OPERATOR)).status(), "HS256 still works");
  }

  @Test
  void aKeyNotInTheJwksOrATooLongLifeIsRefused() throws Exception {
    ServeFixture.Answer forged = f.get("/api/status", signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger), Duration.ofMinutes(10)));
    assertEquals(401, forged.status(), forged::toString);
    assertTrue(((String) forged.error().get("message")).contains("does not verify"), forged::toString);
    ServeFixture.Answer unknownKid = f.get("/api/status", signed(JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(rsa), Duration.ofMinutes(10)));
    assertEquals(401, unknownKid.status(), unknownKid::toString);
    ServeFixture.Answer tooLong = f.get("/api/status", signed(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), Duration.ofMinutes(60)));
    assertEquals(401, tooLong.status(), tooLong::toString);
  }

  @Test
  void aJwksUrlMustBeHttpsOffLoopback() {
    Path b = CliRun.copyBindings(tmp.resolve("plain"));
    CliRun.edit(b, "communications.operators.yaml", "operators:\n", "api_tokens:\n  jwks_url: http://idp.example.com/jwks.json\noperators:\n");
    CliRun.Result r = new CliRun(tmp.resolve("o2")).bindings(b).run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("(api_tokens.jwks_url): jwks_url must be https://"), r::toString);
  }
}
