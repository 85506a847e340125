package comms.core.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Encoding and segment counts against every vector from Twilio's message-segment-calculator. */
class SmsSegmentsTest {
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> vectors() {
    Map<String, Object> doc = Json.parseObject(Peers.read("corpora/sms-segments/vectors.json"));
    return (List<Map<String, Object>>) doc.get("vectors");
  }

  @Test
  void corpusIsWhole() {
    assertEquals(87, vectors().size());
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> everyVector() {
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (Map<String, Object> v : vectors()) {
      String name = (i++) + ": " + v.get("description") + " [" + v.get("source") + "]";
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                String body = (String) v.get("body");
                SmsSegments s = SmsSegments.of(body, Boolean.TRUE.equals(v.get("smartEncoding")));
                Map<String, Object> expected = (Map<String, Object>) v.get("expected");
                for (Map<String, Object> want : List.of(expected, (Map<String, Object>) v.get("oracle"))) {
                  check(want, "encoding", s.encoding());
                  check(want, "segments", s.segments());
                  check(want, "characters", s.characters());
                  check(want, "unicodeScalars", s.unicodeScalars());
                  check(want, "messageSizeBits", s.messageSizeBits());
                  check(want, "totalSizeBits", s.totalSizeBits());
                  check(want, "segmentLengths", s.segmentLengths());
                  check(want, "nonGsmCharacters", s.nonGsmCharacters());
                }
              }));
    }
    return tests.stream();
  }

  private static void check(Map<String, Object> want, String key, Object actual) {
    if (!want.containsKey(key)) {
      return;
    }
    Object w = want.get(key);
    if (w instanceof Number n) {
      w = n.intValue();
    } else if (w instanceof List<?> l) {
      w = l.stream().map(x -> x instanceof Number n ? (Object) n.intValue() : x).toList();
    }
    assertEquals(w, actual, key);
  }

  @Test
  void anEmojiFlipsAPlainBodyToUcs2() {
    assertEquals(SmsSegments.GSM_7, SmsSegments.of("Your order is ready").encoding());
    SmsSegments s = SmsSegments.of("Your order is ready \uD83C\uDF89");
    assertEquals(SmsSegments.UCS_2, s.encoding());
    assertEquals(List.of("\uD83C\uDF89"), s.nonGsmCharacters());
  }

  @Test
  void extensionCharactersCountTwice() {
    assertEquals(2, SmsSegments.of("€").characters());
    assertEquals(1, SmsSegments.of("e").characters());
    assertTrue(SmsSegments.of("{".repeat(81)).segments() > 1);
  }
}
