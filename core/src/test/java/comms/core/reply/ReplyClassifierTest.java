package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each automatic marker on its own makes a message not a reply; without one it is a person's. */
class ReplyClassifierTest {
  static InboundMessage msg(String subject, String text, Map<String, String> headers) {
    Map<String, List<String>> h = new java.util.LinkedHashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return new InboundMessage("1", "dana@lakesideprint.com", "maria@example.com", subject, h, text, Instant.parse("2026-12-07T15:00:00Z"), null);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "Auto-Submitted, auto-replied",
    "Auto-Submitted, auto-generated",
    "Auto-Submitted, auto-notified",
    "X-Autoreply, yes",
    "X-Autorespond, anything",
    "Precedence, bulk",
    "Precedence, auto_reply",
    "Precedence, junk",
    "X-MS-Exchange-Generated-Message-Source, Mailbox Rules Agent",
    "Return-Path, <>",
  })
  void eachMarkerAloneMakesAnAutoReply(String header, String value) {
    Classification c = ReplyClassifier.classify(msg("Re: Welcome", "Thanks for your message.", Map.of(header, value)));
    assertEquals(Classification.Kind.AUTO_REPLY, c.kind(), c.toString());
  }

  @Test
  void autoSubmittedNoIsAPerson() {
    assertEquals(Classification.Kind.HUMAN_REPLY, ReplyClassifier.classify(msg("Re: Welcome", "Yes please.", Map.of("Auto-Submitted", "no"))).kind());
  }

  @Test
  void anExchangeAutomaticReplySubjectIsAnOutOfOfficeEvenWithoutHeaders() {
    Classification c = ReplyClassifier.classify(msg("Automatic reply: Welcome", "Thanks.", Map.of()));
    assertEquals(Classification.Kind.OUT_OF_OFFICE, c.kind());
    assertEquals("subject: Automatic reply: Welcome", c.marker());
  }

  @Test
  void outOfOfficeWordsWithoutAMarkerAreAPersonWritingThem() {
    assertEquals(Classification.Kind.HUMAN_REPLY, ReplyClassifier.classify(msg("Re: Welcome", "I was out of office last week, sorry. Yes!", Map.of())).kind());
  }

  @Test
  void aMailerDaemonWithAPermanentCodeIsAHardBounce() {
    InboundMessage m =
        new InboundMessage("2", "dana@lakesideprint.com", "mailer-daemon@mx.example", "Undeliverable", Map.of(), "550 5.1.1 <x@example.org> unknown",
            Instant.parse("2026-12-07T15:00:00Z"), null);
    Classification c = ReplyClassifier.classify(m);
    assertEquals(Classification.Kind.BOUNCE_HARD, c.kind());
    assertEquals("5.1.1", c.status());
    assertEquals("x@example.org", c.bouncedAddress());
  }
}
