package comms.core.provider;

import comms.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback stand-in for Google's OAuth 2.0 token endpoint ({@code POST /token}), which the Gmail
 * description does not cover. It checks what Google checks of a service account's JWT grant
 * (RFC 7523: {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}, an RS256 assertion
 * signed by the key it issued, {@code aud} the token URL, {@code iss} the service account,
 * {@code sub} the impersonated user, the scopes) and of a refresh-token grant, and answers a
 * bearer token per user. A key file for the service account is written where a test asks.
 */
public final class GoogleTokenEndpoint implements AutoCloseable {
  public static final String CLIENT_EMAIL = "comms-mail@lakeside-comms.iam.gserviceaccount.com";
  public static final String CLIENT_ID = "sentinel-google-client-XYZ.apps.googleusercontent.com";
  public static final String CLIENT_SECRET = "sentinel-google-secret-XYZ";
  public static final String REFRESH_TOKEN = "1//sentinel-refresh-token-XYZ";
  /** The audience of a service account's JWT grant: Google's token endpoint. */
  public static final String GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token";

  /** One grant the endpoint accepted: who it was for and how. */
  public record Grant(String kind, String subject, String scope, String audience) {}

  private final MockWebServer server = new MockWebServer();
  private final KeyPair key;
  private final List<Grant> grants = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private volatile String refuseWith;
  /** Google answers a refused grant 400 (invalid_grant) or 401 (unauthorized_client); the Java client keeps the body of a 400 only. */
  static final int REFUSAL_STATUS = 400;

  public GoogleTokenEndpoint() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      key = g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    try {
      server.start();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The token_url to put in the providers contract. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort() + "/token";
  }

  /** Refuses every grant from now on as Google does when delegation is missing: 401 unauthorized_client. */
  public GoogleTokenEndpoint refuse(String description) {
    refuseWith = description;
    return this;
  }

  public List<Grant> grants() {
    return List.copyOf(grants);
  }

  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** The access token handed out for {@code user}. */
  public static String tokenFor(String user) {
    return "ya29.sentinel-access-" + user.replace("@", "-at-");
  }

  /** Writes the service account's JSON key (as the Cloud console downloads it) to {@code file}. */
  public Path writeKeyFile(Path file) {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "service_account");
    m.put("project_id", "lakeside-comms");
    m.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
    m.put("private_key", pem);
    m.put("client_email", CLIENT_EMAIL);
    m.put("client_id", "104242424242424242424");
    m.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
    m.put("token_uri", "https://oauth2.googleapis.com/token");
    try {
      Files.writeString(file, Json.write(m));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return file;
  }

  private MockResponse answer(RecordedRequest r) {
    if (!"POST".equals(r.getMethod()) || !r.getUrl().encodedPath().equals("/token")) {
      return json(404, "{\"error\":\"not_found\"}");
    }
    Map<String, String> form = form(r.getBody() == null ? "" : r.getBody().utf8());
    if (refuseWith != null) {
      refusals.add(form.getOrDefault("grant_type", ""));
      return json(REFUSAL_STATUS, "{\"error\":\"unauthorized_client\",\"error_description\":\"" + refuseWith + "\"}");
    }
    String grant = form.getOrDefault("grant_type", "");
    if (grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
      String[] jwt = form.getOrDefault("assertion", "").split("\\.");
      if (jwt.length != 3 || !verified(jwt)) {
        return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
      }
      Map<String, Object> header = Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8));
      Map<String, Object> claims = Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
      // Google's library signs for Google's own token endpoint as the audience, wherever it posts the grant.
      if (!"RS256".equals(header.get("alg")) || !CLIENT_EMAIL.equals(claims.get("iss")) || !GOOGLE_AUDIENCE.equals(claims.get("aud"))
          || !(claims.get("sub") instanceof String sub)) {
        return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT: iss, aud or sub is wrong: " + claims.keySet() + " aud=" + claims.get("aud") + "\"}");
      }
      String scope = String.valueOf(claims.get("scope"));
      grants.add(new Grant("jwt-bearer", sub, scope, String.valueOf(claims.get("aud"))));
      return json(200, "{\"access_token\":\"" + tokenFor(sub) + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }
    if (grant.equals("refresh_token")) {
      if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret")) || !REFRESH_TOKEN.equals(form.get("refresh_token"))) {
        return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
      }
      grants.add(new Grant("refresh_token", null, null, null));
      return json(200, "{\"access_token\":\"" + tokenFor("refresh") + "\",\"expires_in\":3599,\"token_type\":\"Bearer\",\"scope\":\"https://www.googleapis.com/auth/gmail.send\"}");
    }
    return json(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Invalid grant_type: " + grant + "\"}");
  }

  private boolean verified(String[] jwt) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key.getPublic());
      s.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      return s.verify(Base64.getUrlDecoder().decode(jwt[2]));
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int i = pair.indexOf('=');
      if (i > 0) {
        m.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
