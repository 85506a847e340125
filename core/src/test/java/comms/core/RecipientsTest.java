package comms.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One spelling per recipient and one sortable text per instant. */
class RecipientsTest {
  @Test
  void emailsIgnoreCaseAndSpacing() {
    assertEquals("maria@lakeside.example", Recipients.normalize("  Maria@Lakeside.EXAMPLE "));
    assertTrue(Recipients.isEmail("maria@lakeside.example"));
  }

  @Test
  void phonesLoseOnlyPunctuation() {
    assertEquals("+15551234567", Recipients.normalize(" +1 (555) 123-4567 "));
    assertEquals("+15551234567", Recipients.normalize("+15551234567"));
    assertFalse(Recipients.isEmail("+15551234567"));
    // not a phone number: left as given (trimmed) for the format gate to refuse
    assertEquals("call me", Recipients.normalize(" call me "));
  }

  @Test
  void domainsLoseAtSignAndTrailingDot() {
    assertEquals("lakeside.example", Recipients.domain(" @Lakeside.Example. "));
  }

  @Test
  void anInternationalisedDomainHasOneSpellingWhicheverWayItIsTyped() {
    // U-label, A-label, upper case, full-width compatibility letters and dot, ideographic full stop
    for (String typed : new String[] {"bücher.de", "xn--bcher-kva.de", "XN--BCHER-KVA.DE", "BÜCHER.DE", "ｂüｃｈｅｒ．ｄｅ", "bücher\u3002de", "bücher.de."}) {
      assertEquals("xn--bcher-kva.de", Recipients.domain(typed), typed);
      assertEquals("maria@xn--bcher-kva.de", Recipients.normalize("Maria@" + typed), typed);
    }
    assertEquals("bücher.de", Recipients.readableDomain("xn--bcher-kva.de"));
  }

  @Test
  void compatibilityFormsOfTheLocalPartAndTheAtSignFold() {
    assertEquals("maria@lakeside.example", Recipients.normalize("ｍａｒｉａ＠ｌａｋｅｓｉｄｅ．ｅｘａｍｐｌｅ"));
    assertEquals("maria@lakeside.example", Recipients.normalize("\u00a0maria@lakeside.example\u3000"));
  }

  @Test
  void phonesAreE164HoweverTheyAreTyped() {
    assertEquals("+15551234567", Recipients.normalize("＋１ ５５５ １２３ ４５６７"));
    assertEquals("+442079460958", Recipients.normalize("+44 (0) 20 7946 0958"));
    assertEquals("+442079460958", Recipients.normalize(" +442079460958 "));
  }

  @Test
  void timestampsAreFixedWidthAndSortAsText() {
    String whole = Timestamps.format(Instant.parse("2026-03-01T10:00:00Z"));
    String half = Timestamps.format(Instant.parse("2026-03-01T10:00:00.5Z"));
    assertEquals("2026-03-01T10:00:00.000Z", whole);
    assertEquals(Timestamps.LENGTH, whole.length());
    assertTrue(whole.compareTo(half) < 0);
    assertEquals(Instant.parse("2026-03-01T10:00:00.123Z"), Timestamps.stored(Instant.parse("2026-03-01T10:00:00.123456Z")));
  }
}
