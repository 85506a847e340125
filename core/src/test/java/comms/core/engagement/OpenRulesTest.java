package comms.core.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule that calls an open a machine's, alone, and an open that passes them all. */
class OpenRulesTest {
  static final Instant DELIVERED = Instant.parse("2026-12-07T15:00:05Z");
  static final Instant LATER = DELIVERED.plus(Duration.ofHours(3));
  static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  static final String PERSON_IP = "203.0.113.7";

  final OpenRules rules = new OpenRules(Duration.ofSeconds(60));

  @Test
  void aBrowserOpenHoursAfterDeliveryIsHumanShaped() {
    assertEquals(Optional.empty(), rules.machine(SAFARI, PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.empty(), rules.machine(SAFARI, PERSON_IP, LATER, null), "without a delivery time the timing rule does not apply");
  }

  @Test
  void appleMailPrivacyProtectionByItsBareUserAgentOrApplesNetwork() {
    assertEquals(Optional.of("apple_mpp"), rules.machine("Mozilla/5.0", PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("apple_mpp"), rules.machine(SAFARI, "17.58.101.4", LATER, DELIVERED));
    assertEquals(Optional.of("apple_mpp"), rules.machine(SAFARI, "2620:149:a0c:2000::1", LATER, DELIVERED));
  }

  @Test
  void googleImageProxyByUserAgentOrRange() {
    String proxy = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
    assertEquals(Optional.of("google_image_proxy"), rules.machine(proxy, PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("google_image_proxy"), rules.machine(SAFARI, "66.249.84.17", LATER, DELIVERED));
    assertEquals(Optional.empty(), rules.machine(SAFARI, "66.249.96.1", LATER, DELIVERED), "just outside 66.249.80.0/20");
  }

  @Test
  void aPrefetchHasNoUserAgentOrNamesAScanner() {
    assertEquals(Optional.of("prefetch"), rules.machine(null, PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("prefetch"), rules.machine("  ", PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("prefetch"), rules.machine("Mozilla/5.0 (compatible; Barracuda Sentinel)", PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("prefetch"), rules.machine("python-requests/2.31", PERSON_IP, LATER, DELIVERED));
    assertEquals(Optional.of("prefetch"), rules.machine("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", PERSON_IP, LATER, DELIVERED));
  }

  @Test
  void anOpenWithinTheDelayAfterDeliveryIsTooSoon() {
    assertEquals(Optional.of("too_soon"), rules.machine(SAFARI, PERSON_IP, DELIVERED.plusSeconds(59), DELIVERED));
    assertEquals(Optional.empty(), rules.machine(SAFARI, PERSON_IP, DELIVERED.plusSeconds(60), DELIVERED));
    assertEquals(Optional.empty(), new OpenRules(Duration.ZERO).machine(SAFARI, PERSON_IP, DELIVERED, DELIVERED));
  }

  @Test
  void aHostNameIsNeverLookedUpAndNeverMatches() {
    assertEquals(Optional.empty(), rules.machine(SAFARI, "proxy.apple.example", LATER, DELIVERED));
    assertEquals(Optional.empty(), rules.machine(SAFARI, "999.1.1.1", LATER, DELIVERED));
  }
}
