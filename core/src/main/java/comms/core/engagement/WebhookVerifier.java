package comms.core.engagement;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook's Svix signature as Svix documents it ("Verifying Webhooks Manually"): the key is
 * the base64 text after {@code whsec_}; the signed content is {@code svix-id.svix-timestamp.body}
 * over the raw body; HMAC-SHA256, base64; {@code svix-signature} holds one or more space-separated
 * {@code v1,<base64>} entries (several while a secret rotates) and one match is enough, compared in
 * constant time; the timestamp must lie within five minutes of the injected clock, either way.
 *
 * <p>The official {@code com.svix:svix} library does the same, but reads {@code System.currentTimeMillis()}
 * for the tolerance (so COMMS_NOW could not drive it) and brings an HTTP client and Jackson 2 with it;
 * this class is the documented scheme on javax.crypto, checked against Svix's published test vector.
 * Header names are matched case-insensitively; the unbranded {@code webhook-*} names Svix also sends
 * are accepted.
 */
public final class WebhookVerifier {
  /** How far the signed timestamp may be from now, as Svix's libraries allow. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  static final String PREFIX = "whsec_";

  private final byte[] key;
  private final String unset;

  private WebhookVerifier(byte[] key, String unset) {
    this.key = key;
    this.unset = unset;
  }

  /**
   * A verifier without a secret ({@code variable} is not set): it refuses every webhook as
   * {@code no_secret}, since nothing unverified may be applied.
   */
  public static WebhookVerifier unset(String variable) {
    return new WebhookVerifier(
        null, variable + " is not set, so no signature can be checked: set it to the webhook's signing secret (whsec_…; the sequences contract's engagement.webhook_secret_env names the variable)");
  }

  /**
   * A verifier for {@code secret} ({@code whsec_} and base64, as Resend shows it). A secret not of
   * that form is refused (IllegalArgumentException) with a reason that never quotes it.
   */
  public static WebhookVerifier of(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("the webhook signing secret is empty");
    }
    String s = secret.strip();
    String b64 = s.startsWith(PREFIX) ? s.substring(PREFIX.length()) : s;
    byte[] k;
    try {
      k = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook signing secret is not whsec_ followed by base64 (copy it again from the Resend dashboard)");
    }
    if (k.length == 0) {
      throw new IllegalArgumentException("the webhook signing secret decodes to no bytes");
    }
    return new WebhookVerifier(k, null);
  }

  /** What the check found: the message id and its signed time, or why it was refused. */
  public sealed interface Verdict {
    /** Signed with our secret within the tolerance. */
    record Verified(String svixId, Instant signedAt) implements Verdict {}

    /**
     * Not to be applied. {@code reason} is a short code ({@code missing_headers}, {@code bad_timestamp},
     * {@code stale}, {@code future}, {@code no_signature}, {@code bad_signature}, {@code no_secret}); {@code svixId} may be null.
     */
    record Refused(String svixId, String reason, String sentence) implements Verdict {}
  }

  /** Checks {@code body} (the raw request body) against its headers as of {@code now}. */
  public Verdict verify(Map<String, String> headers, String body, Instant now) {
    Objects.requireNonNull(now);
    String id = header(headers, "id").orElse(null);
    String ts = header(headers, "timestamp").orElse(null);
    String sigs = header(headers, "signature").orElse(null);
    if (key == null) {
      return new Verdict.Refused(id, "no_secret", unset);
    }
    if (id == null || ts == null || sigs == null || body == null) {
      return new Verdict.Refused(id, "missing_headers", "svix-id, svix-timestamp and svix-signature are all needed, with the raw body");
    }
    long seconds;
    try {
      seconds = Long.parseLong(ts.strip());
    } catch (NumberFormatException e) {
      return new Verdict.Refused(id, "bad_timestamp", "svix-timestamp '" + shorten(ts) + "' is not whole seconds since the epoch");
    }
    Instant signedAt = Instant.ofEpochSecond(seconds);
    if (signedAt.isBefore(now.minus(TOLERANCE))) {
      return new Verdict.Refused(id, "stale", "signed at " + signedAt + ", more than 5 minutes before " + now + " (a replay or a stale capture)");
    }
    if (signedAt.isAfter(now.plus(TOLERANCE))) {
      return new Verdict.Refused(id, "future", "signed at " + signedAt + ", more than 5 minutes after " + now);
    }
    byte[] expected = sign(id, ts.strip(), body);
    boolean any = false;
    boolean match = false;
    for (String entry : sigs.strip().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue;
      }
      any = true;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      // Every entry is compared in full, so the time taken says nothing about which one matched.
      match |= MessageDigest.isEqual(expected, given);
    }
    if (!any) {
      return new Verdict.Refused(id, "no_signature", "svix-signature holds no v1 signature");
    }
    if (!match) {
      return new Verdict.Refused(id, "bad_signature", "no v1 signature matches the body signed with our secret (forged, altered, or another endpoint's secret)");
    }
    return new Verdict.Verified(id, signedAt);
  }

  /** The {@code v1,<base64>} signature of a message, as Svix computes it (for tests and fixtures). */
  public String signature(String svixId, String timestamp, String body) {
    if (key == null) {
      throw new IllegalStateException(unset);
    }
    return "v1," + Base64.getEncoder().encodeToString(sign(svixId, timestamp, body));
  }

  private byte[] sign(String id, String ts, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** {@code svix-NAME}, else {@code webhook-NAME}, by case-insensitive name. */
  static Optional<String> header(Map<String, String> headers, String name) {
    if (headers == null) {
      return Optional.empty();
    }
    for (String prefix : new String[] {"svix-", "webhook-"}) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(prefix + name) && e.getValue() != null && !e.getValue().isBlank()) {
          return Optional.of(e.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private static String shorten(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "…" : s;
  }
}
