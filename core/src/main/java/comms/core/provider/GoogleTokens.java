package comms.core.provider;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens for a Gmail mailbox, from Google's own auth library (google-auth-library-oauth2-http):
 * a service account with domain-wide delegation that impersonates the mailbox's user (a signed JWT
 * grant to the token URL), or that user's own OAuth refresh token. The token URL comes from the
 * providers contract, so tests point it at a loopback endpoint. Tokens live in memory only, one
 * credential per mailbox, refreshed by the library before they expire; never written anywhere.
 */
public final class GoogleTokens {
  /** What comms asks Gmail for: send as the user, read message metadata and history, and watch the mailbox. */
  public static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/gmail.send", "https://www.googleapis.com/auth/gmail.readonly");

  private final Function<String, GoogleCredentials> forUser;
  private final Map<String, GoogleCredentials> byUser = new ConcurrentHashMap<>();
  private final String how;

  private GoogleTokens(Function<String, GoogleCredentials> forUser, String how) {
    this.forUser = forUser;
    this.how = how;
  }

  /**
   * A service account's key file (JSON, as the Cloud console downloads it) that impersonates each
   * mailbox's user; exit 3 when the file cannot be read or is not a service-account key.
   */
  public static GoogleTokens serviceAccount(Path keyFile, String keyVariable, String tokenUrl) {
    ServiceAccountCredentials key;
    try (InputStream in = Files.newInputStream(keyFile)) {
      key = ServiceAccountCredentials.fromStream(in);
    } catch (NoSuchFileException e) {
      throw new CommsException(ExitCode.CONTRACT, "the service-account key file named by " + keyVariable + " does not exist; set " + keyVariable + " to the path of the JSON key");
    } catch (IOException | RuntimeException e) {
      throw new CommsException(
          ExitCode.CONTRACT, "the file named by " + keyVariable + " is not a Google service-account key (" + e.getClass().getSimpleName() + "); download a JSON key of the service account");
    }
    URI uri = URI.create(tokenUrl);
    ServiceAccountCredentials base = key.toBuilder().setTokenServerUri(uri).setScopes(SCOPES).build();
    return new GoogleTokens(user -> base.toBuilder().setServiceAccountUser(user).build(), "service account with domain-wide delegation");
  }

  /** OAuth client credentials plus each user's refresh token ({@code refreshToken} gives it by mailbox address, or null). */
  public static GoogleTokens refreshTokens(String clientId, String clientSecret, Function<String, String> refreshToken, String tokenUrl) {
    URI uri = URI.create(tokenUrl);
    return new GoogleTokens(
        user -> {
          String token = refreshToken.apply(user);
          if (token == null || token.isBlank()) {
            throw new CommsException(
                ExitCode.CONTRACT, "no OAuth refresh token for " + user + ": name its variable as mailbox.refresh_token_env in the operators contract and set it");
          }
          return UserCredentials.newBuilder().setClientId(clientId).setClientSecret(clientSecret).setRefreshToken(token).setTokenServerUri(uri).build();
        },
        "OAuth refresh token");
  }

  /** How these tokens are obtained, for messages ("service account with domain-wide delegation"). */
  public String how() {
    return how;
  }

  /**
   * A current access token for {@code user}'s mailbox. Google's refusal (a 4xx such as
   * {@code unauthorized_client}: delegation not granted for the scopes) is {@code failed} with its
   * error; no answer or a 5xx is worth another try.
   */
  public String accessToken(String user, int attempt) {
    String u = Recipients.normalize(user);
    GoogleCredentials c = byUser.computeIfAbsent(u, forUser);
    try {
      c.refreshIfExpired();
      AccessToken t = c.getAccessToken();
      if (t == null || t.getTokenValue() == null) {
        throw new ProviderException(ProviderException.FAILED, "no_token", "Google's token endpoint gave no access token for " + u, attempt);
      }
      return t.getTokenValue();
    } catch (IOException e) {
      throw refusal(u, e, attempt);
    }
  }

  private static final Pattern STATUS = Pattern.compile("\\b([45]\\d\\d)\\b");
  private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern DESCRIPTION = Pattern.compile("\"error_description\"\\s*:\\s*\"([^\"]+)\"");

  /** The library's IOException as a verdict: its text carries the token endpoint's status and JSON error. */
  RuntimeException refusal(String user, IOException e, int attempt) {
    String text = String.valueOf(e.getMessage());
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof com.google.api.client.http.HttpResponseException h) {
        // The token endpoint's own answer: its status and JSON error (never a secret: it does not echo the grant).
        // google-http-client keeps the body of a 400; of a 401 only the status, so that says "HTTP 401".
        text = h.getStatusCode() + " " + (h.getContent() == null ? "" : h.getContent());
        break;
      }
    }
    IOException transport = Answer.transportCause(e.getCause());
    Matcher s = STATUS.matcher(text);
    Matcher err = ERROR.matcher(text);
    Matcher desc = DESCRIPTION.matcher(text);
    String code = err.find() ? err.group(1) : null;
    String why = desc.find() ? desc.group(1) : null;
    if (!s.find()) {
      String r = Answer.reason(transport != null ? transport : e);
      return new RetryPolicy.Retryable(r, "no_response", "Google's token endpoint could not be reached for " + user + " (" + r + ")", null);
    }
    int status = Integer.parseInt(s.group(1));
    String detail = "HTTP " + status + (code == null ? "" : ", " + code) + (why == null ? "" : ": " + why);
    if (status == 429 || status >= 500) {
      return new RetryPolicy.Retryable(String.valueOf(status), code == null ? String.valueOf(status) : code, "Google's token endpoint answered " + detail, null);
    }
    return new ProviderException(
        ProviderException.FAILED,
        code == null ? String.valueOf(status) : code,
        "Google's token endpoint refused a token for " + user + " (" + detail + "); " + (how.startsWith("service")
            ? "check that domain-wide delegation grants the service account's client id the Gmail scopes (README, Gmail mailboxes)"
            : "check the OAuth client id, client secret and the user's refresh token"),
        attempt);
  }
}
