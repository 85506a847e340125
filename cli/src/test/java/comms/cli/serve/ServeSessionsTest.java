package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login links and sessions: a link lives at most 60 s and works once, the session it
 * opens at most 15 minutes, its cookie HttpOnly, SameSite=Strict and Secure behind TLS.
 */
class ServeSessionsTest {
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

  /** A clock the test moves. */
  static final class Moving extends Clock {
    Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  ServeFixture.Answer login(String token) {
    return f.send(HttpRequest.newBuilder(URI.create(f.base + PublicRoutes.LOGIN_PATH + "?token=" + token)).GET().build());
  }

  @Test
  void aLoginLinkOlderThanSixtySecondsIsRefused() {
    BearerTokens earlier = BearerTokens.from(f.env, Clock.fixed(NOW.minusSeconds(61), ZoneOffset.UTC));
    ServeFixture.Answer a = login(earlier.mint(ServeFixture.OPERATOR, BearerTokens.Scope.LOGIN, Duration.ofSeconds(60)));
    assertEquals(401, a.status(), a::toString);
    assertEquals("token_expired", a.error().get("code"), a::toString);
    assertTrue(((String) a.error().get("message")).contains("comms dashboard.open"), a::toString);
    // a link cannot be minted to live longer, nor can an API token open a session
    assertThrows(CommsException.class, () -> f.tokens.mint(ServeFixture.OPERATOR, BearerTokens.Scope.LOGIN, Duration.ofSeconds(61)));
    ServeFixture.Answer api = login(f.token(ServeFixture.OPERATOR));
    assertEquals(401, api.status(), api::toString);
    assertEquals(401, login("").status());
  }

  @Test
  void aLinkOfAnOperatorDeactivatedSinceIsRefused() {
    f.ok("yes\n", "operators.add", "--email", "brief@lakesideprint.com", "--name", "Brief Stay", "--as", ServeFixture.ADMIN, "--execute");
    String link = f.tokens.mint("brief@lakesideprint.com", BearerTokens.Scope.LOGIN, Duration.ofSeconds(60));
    f.ok("yes\n", "operators.update", "--email", "brief@lakesideprint.com", "--active", "false", "--as", ServeFixture.ADMIN, "--execute");
    ServeFixture.Answer a = login(link);
    assertEquals(401, a.status(), a::toString);
    assertEquals("unknown_operator", a.error().get("code"), a::toString);
  }

  @Test
  void aSessionEndsAfterFifteenMinutesAndALinkWorksOnce() {
    Moving clock = new Moving();
    Sessions s = new Sessions(clock);
    String cookie = s.open("jti-1", NOW.plusSeconds(60), ServeFixture.OPERATOR);
    assertEquals(ServeFixture.OPERATOR, s.operator(cookie).orElseThrow());
    ApiError again = assertThrows(ApiError.class, () -> s.open("jti-1", NOW.plusSeconds(60), ServeFixture.OPERATOR));
    assertEquals("link_used", again.code());
    clock.now = NOW.plus(Duration.ofMinutes(15)).minusSeconds(1);
    assertTrue(s.operator(cookie).isPresent());
    clock.now = NOW.plus(Duration.ofMinutes(15));
    assertTrue(s.operator(cookie).isEmpty(), "a session lives at most 15 minutes");
    assertTrue(s.operator("not-a-session").isEmpty());
  }

  @Test
  void theCookieIsSecureBehindTls() {
    String plain = Sessions.cookie("v", false);
    String tls = Sessions.cookie("v", true);
    assertTrue(plain.contains("HttpOnly") && plain.contains("SameSite=Strict") && plain.contains("Max-Age=900") && !plain.contains("Secure"), plain);
    assertTrue(tls.endsWith("; Secure") && tls.contains("HttpOnly") && tls.contains("SameSite=Strict"), tls);
  }

  @Test
  void behindTheTlsProxyTheLoginSetsASecureCookie() throws Exception {
    try (ServeFixture tls = new ServeFixture(tmp.resolve("tls"), comms.cli.CliRun.SAMPLE_BINDINGS, true)) {
      String link = tls.tokens.mint(ServeFixture.OPERATOR, BearerTokens.Scope.LOGIN, Duration.ofSeconds(60));
      ServeFixture.Answer a = tls.send(HttpRequest.newBuilder(URI.create(tls.base + PublicRoutes.LOGIN_PATH + "?token=" + link)).GET().build());
      assertEquals(303, a.status(), a::toString);
      String cookie = a.header("Set-Cookie");
      assertTrue(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    }
  }
}
