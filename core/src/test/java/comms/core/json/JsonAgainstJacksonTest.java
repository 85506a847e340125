package comms.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Differential test: the same texts go to {@link Json} and to Jackson (configured as strictly as the
 * JSON spec: duplicate keys refused, nesting limited to Json's depth), and any difference in what is
 * accepted, or in the value read, fails. What Json writes must read back through Jackson as the same value.
 */
class JsonAgainstJacksonTest {
  static final JsonMapper JACKSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static final List<String> CORPUS =
      List.of(
          "0", "-0", "1", "-1", "01", "-01", "00", "1.", "1.e5", ".5", "1.5", "1e5", "1E+5", "1e-5", "1e", "1e+", "-", "+1", "1.5.5", "1-2",
          "123456789012345678901234567890", "-9223372036854775808", "9223372036854775807", "0.1e1", "0e0", "1e400",
          "\"\"", "\"a\"", "\"\\u0041\"", "\"\\u+041\"", "\"\\u00g1\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud83d\\ude00\"", "\"\\x41\"", "\"\\/\"",
          "\"a\tb\"", "\"\\t\"", "\"unterminated", "\"\u2028\"",
          "true", "false", "null", "tru", "nul", "True", "NaN", "Infinity", "-Infinity",
          "[]", "[1,]", "[,1]", "[1 2]", "[[]]", "{}", "{,}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1,\"a\":2}",
          "{\"a\":{\"b\":[1,{\"c\":null}]}}", " [ 1 , 2 ] ", "\n{\"a\":1}\r\n", "[1]x", "[1] [2]", "", " ", "\u00a0[]", "[1]\u0000",
          "{\"\":0}", "{\"a\":[]}", "[\"\\\\\"]", "[1e-400]", "[-0.0]", "{\"k\":\"v\"}//c");

  static Object jackson(String text) {
    return JACKSON.readValue(text, Object.class);
  }

  /** Values compared by meaning: numbers by numeric value, maps and lists element by element. */
  static Object normal(Object v) {
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), normal(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normal(x)));
      return out;
    }
    return v;
  }

  static void same(String text) {
    Object ours = null;
    RuntimeException oursFailed = null;
    try {
      ours = Json.parse(text);
    } catch (Json.JsonException e) {
      oursFailed = e;
    }
    Object theirs = null;
    RuntimeException theirsFailed = null;
    try {
      theirs = jackson(text);
    } catch (RuntimeException e) {
      theirsFailed = e;
    }
    if (oursFailed != null && theirsFailed == null && oursFailed.getMessage().startsWith("lone surrogate")) {
      // The one deliberate difference: Jackson reads a lone surrogate into a string value; Json refuses
      // text that is not valid Unicode (RFC 8259 §8.2), and never writes one (it writes U+FFFD).
      return;
    }
    if ((oursFailed == null) != (theirsFailed == null)) {
      fail("Json " + (oursFailed == null ? "accepts" : "refuses (" + oursFailed.getMessage() + ")") + " but Jackson "
          + (theirsFailed == null ? "accepts" : "refuses (" + theirsFailed.getMessage() + ")") + ": " + visible(text));
    }
    if (oursFailed == null) {
      assertEquals(normal(theirs), normal(ours), "values differ for " + visible(text));
      String written = Json.write(ours);
      assertEquals(normal(ours), normal(jackson(written)), "Jackson reads what Json wrote differently: " + visible(written));
    }
  }

  /** {@code s} with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder does. */
  static String replaced(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return sb.toString();
  }

  static String visible(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return sb.toString();
  }

  @Test
  void theCorpusIsAcceptedAndReadAlike() {
    for (String text : CORPUS) {
      same(text);
    }
  }

  @Test
  void loneSurrogatesAreRefusedAndNeverWritten() {
    for (String text : List.of("\"\\ud800\"", "\"\\udc00x\"", "{\"\\ud83d\":1}", "\"a\ud800\"")) {
      Json.JsonException e = org.junit.jupiter.api.Assertions.assertThrows(Json.JsonException.class, () -> Json.parse(text), visible(text));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("lone surrogate"), e.getMessage());
    }
    assertEquals("\"x\\ufffdy\"", Json.write("x\ud800y"));
    assertEquals("\"\ud83d\ude00\"", Json.write("\ud83d\ude00"));
  }

  @Test
  void nestingAtAndBeyondTheLimit() {
    for (int depth : new int[] {1, 63, 64, 65, 66, 200}) {
      same("[".repeat(depth) + "]".repeat(depth));
      same("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }
  }

  @Test
  void writtenStringsReadBackTheSame() {
    for (String s : List.of("plain", "quote\"back\\slash", "ctl\u0001\u001f", "sep\u2028\u2029", "emoji\ud83d\ude00", "lone\ud800", "low\udc00x", "\u0000")) {
      String written = Json.write(Map.of("s", s));
      same(written);
      assertEquals(Json.parse(written), jackson(written), visible(written));
      assertEquals(replaced(s), ((Map<?, ?>) Json.parse(written)).get("s"), visible(written));
    }
  }

  @Test
  void randomMutationsOfValidDocumentsAreJudgedAlike() {
    Random r = new Random(20261202);
    String alphabet = "{}[]\":,0123456789.-+eE \\ntrufalsn\u00e9\ud83d";
    List<String> seeds = List.of("{\"a\":[1,2.5,-3e2,true,null,\"x\\ny\"]}", "[{\"k\":\"v\"},{\"n\":0}]", "{\"deep\":{\"er\":[[[]]]}}");
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder(seeds.get(r.nextInt(seeds.size())));
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = r.nextInt(sb.length() + 1);
        switch (r.nextInt(3)) {
          case 0 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> {
            if (at < sb.length()) {
              sb.deleteCharAt(at);
            }
          }
          default -> {
            if (at < sb.length()) {
              sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
          }
        }
      }
      same(sb.toString());
    }
  }
}
