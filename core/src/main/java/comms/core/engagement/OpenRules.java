package comms.core.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which opens count as a person's. A tracking pixel is fetched by whatever loads the message's images,
 * and most of those are not people, so an open counts only when no rule below calls it a machine's.
 * The rules, in the order they are tried (the first that fires names the open's {@code ignored_by}):
 *
 * <ol>
 *   <li>{@code apple_mpp} — Apple Mail Privacy Protection. Apple's proxy fetches every image of every
 *       message on arrival, read or not, from Apple's own network (17.0.0.0/8; 2620:149::/32,
 *       2a01:b740::/32) and with a bare {@code Mozilla/5.0} user agent, no platform or browser tokens.</li>
 *   <li>{@code google_image_proxy} — Gmail serves every image through its proxy, which says
 *       {@code GoogleImageProxy} (via ggpht.com) in its user agent and fetches from Google's proxy ranges
 *       (66.102.0.0/20, 66.249.80.0/20); the fetch can be a cache fill, not the person opening it.</li>
 *   <li>{@code prefetch} — a fetch with no user agent at all (no mail client sends none), or one from a
 *       security scanner, link checker or other prefetcher (bot, crawler, spider, preview, prefetch,
 *       HeadlessChrome, python-requests, curl, Go-http-client, Barracuda, Mimecast, Proofpoint,
 *       YahooMailProxy).</li>
 *   <li>{@code too_soon} — an open within {@code minDelay} (the contract's
 *       {@code engagement.human_open_after_seconds}, 60 s by default) of delivery (Resend's
 *       email.delivered, else our send): proxies and scanners fetch on arrival; a person rarely reads that fast.</li>
 * </ol>
 *
 * The IP ranges are the commonly published ones and change over time; the user-agent rules catch most
 * fetches without them. An open that passes every rule is "human-shaped", not proof of a person: that
 * is why no sequence may trigger on an open, and why {@code no_engagement} also counts replies and clicks.
 */
public final class OpenRules {
  /** The default of {@code engagement.human_open_after_seconds}. */
  public static final Duration DEFAULT_MIN_DELAY = Duration.ofSeconds(60);

  /** Every rule's name, in the order they are tried. */
  public static final List<String> NAMES = List.of("apple_mpp", "google_image_proxy", "prefetch", "too_soon");

  private static final List<String> APPLE_RANGES = List.of("17.0.0.0/8", "2620:149::/32", "2a01:b740::/32");
  private static final List<String> GOOGLE_RANGES = List.of("66.102.0.0/20", "66.249.80.0/20");
  private static final Pattern PREFETCHERS =
      Pattern.compile(
          "bot\\b|crawler|spider|preview|prefetch|headlesschrome|python-requests|curl/|go-http-client|barracuda|mimecast|proofpoint|yahoomailproxy",
          Pattern.CASE_INSENSITIVE);

  private final Duration minDelay;

  public OpenRules(Duration minDelay) {
    if (minDelay == null || minDelay.isNegative()) {
      throw new IllegalArgumentException("the least delay after delivery for a human-shaped open must be zero or more");
    }
    this.minDelay = minDelay;
  }

  public Duration minDelay() {
    return minDelay;
  }

  /**
   * The rule that calls this open a machine's, or empty when it is human-shaped. {@code deliveredAt}
   * is when the message arrived (null when comms does not know: the timing rule then does not apply).
   */
  public Optional<String> machine(String userAgent, String ipAddress, Instant openedAt, Instant deliveredAt) {
    String ua = userAgent == null ? "" : userAgent.strip();
    if (ua.equals("Mozilla/5.0") || Cidr.within(ipAddress, APPLE_RANGES)) {
      return Optional.of("apple_mpp");
    }
    String lower = ua.toLowerCase(Locale.ROOT);
    if (lower.contains("googleimageproxy") || lower.contains("ggpht.com") || Cidr.within(ipAddress, GOOGLE_RANGES)) {
      return Optional.of("google_image_proxy");
    }
    if (ua.isEmpty() || PREFETCHERS.matcher(ua).find()) {
      return Optional.of("prefetch");
    }
    if (deliveredAt != null && openedAt != null && openedAt.isBefore(deliveredAt.plus(minDelay))) {
      return Optional.of("too_soon");
    }
    return Optional.empty();
  }
}
