package comms.core.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an SMS body travels: GSM-7 (with its extension table) when every character allows it, else
 * UCS-2; how many segments that costs (160/153 septets, 70/67 UTF-16 code units) and how many
 * characters the recipient sees. Counts agree with Twilio's message-segment-calculator.
 *
 * @param encoding {@code GSM-7} or {@code UCS-2}
 * @param segments messages the carrier bills for
 * @param characters GSM-7: septets (extension characters count twice); UCS-2: user-perceived characters
 * @param unicodeScalars code points in the body
 * @param messageSizeBits payload bits without the concatenation headers
 * @param totalSizeBits payload bits plus a 48-bit header per segment when there is more than one
 * @param segmentLengths characters in each segment (an extension pair or a surrogate pair is never split)
 * @param nonGsmCharacters the characters that forced UCS-2
 */
public record SmsSegments(
    String encoding,
    int segments,
    int characters,
    int unicodeScalars,
    int messageSizeBits,
    int totalSizeBits,
    List<Integer> segmentLengths,
    List<String> nonGsmCharacters) {
  public static final String GSM_7 = "GSM-7";
  public static final String UCS_2 = "UCS-2";

  private static final String GSM_BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** Reached through the escape septet, so each costs two septets. */
  private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

  private static final Pattern GRAPHEME = Pattern.compile("\\X");
  private static final int HEADER_BITS = 48;

  /**
   * Substitutions a Twilio Messaging Service applies with Smart Encoding on, so a body written with
   * typographic quotes, dashes or odd spaces can stay GSM-7. Their calculator maps the no-break and
   * other wide spaces to two spaces; we follow it so our counts agree with theirs.
   */
  private static final Map<Integer, String> SMART =
      Map.ofEntries(
          Map.entry(0x00AB, "\""), Map.entry(0x00BB, "\""), Map.entry(0x201C, "\""), Map.entry(0x201D, "\""),
          Map.entry(0x201E, "\""), Map.entry(0x201F, "\""), Map.entry(0xFF02, "\""),
          Map.entry(0x2018, "'"), Map.entry(0x2019, "'"), Map.entry(0x201A, ","), Map.entry(0x201B, "'"),
          Map.entry(0x02BC, "'"), Map.entry(0x00B4, "'"), Map.entry(0x0060, "'"), Map.entry(0xFF07, "'"),
          Map.entry(0x2010, "-"), Map.entry(0x2013, "-"), Map.entry(0x2014, "-"), Map.entry(0x2015, "-"),
          Map.entry(0x2022, "-"), Map.entry(0x2026, "..."), Map.entry(0x00F7, "/"), Map.entry(0x2044, "/"),
          Map.entry(0x00BC, "1/4"), Map.entry(0x00BD, "1/2"), Map.entry(0x00BE, "3/4"),
          Map.entry(0x00A0, "  "), Map.entry(0x2002, "  "), Map.entry(0x2003, "  "), Map.entry(0x2009, "  "),
          Map.entry(0x202F, "  "), Map.entry(0x3000, "  "), Map.entry(0x2001, " "), Map.entry(0x2028, " "),
          Map.entry(0x2029, " "), Map.entry(0x0009, "       "), Map.entry(0x200B, ""), Map.entry(0x2060, ""),
          Map.entry(0xFEFF, ""), Map.entry(0x203C, "!!"));

  public SmsSegments {
    segmentLengths = List.copyOf(segmentLengths);
    nonGsmCharacters = List.copyOf(nonGsmCharacters);
  }

  /** The segments of {@code body} as sent without Smart Encoding (what comms assumes). */
  public static SmsSegments of(String body) {
    return of(body, false);
  }

  /** The segments of {@code body}; {@code smartEncoding} applies Twilio's substitutions first. */
  public static SmsSegments of(String body, boolean smartEncoding) {
    String text = smartEncoding ? smartEncode(body) : body;
    List<String> graphemes = new ArrayList<>();
    Matcher m = GRAPHEME.matcher(text);
    while (m.find()) {
      graphemes.add(m.group());
    }
    List<String> nonGsm = new ArrayList<>();
    for (String g : graphemes) {
      if (!isGsm(g)) {
        nonGsm.add(g);
      }
    }
    boolean gsm = nonGsm.isEmpty();
    // GSM-7 packs character by character (CR LF is two); UCS-2 never splits what the reader sees as one.
    int[] units =
        gsm
            ? text.codePoints().map(cp -> GSM_EXTENSION.indexOf(cp) >= 0 ? 2 : 1).toArray()
            : graphemes.stream().mapToInt(String::length).toArray();
    int total = java.util.Arrays.stream(units).sum();
    int single = gsm ? 160 : 70;
    int perPart = gsm ? 153 : 67;
    List<Integer> lengths = new ArrayList<>();
    if (total <= single) {
      lengths.add(units.length);
    } else {
      int used = 0;
      int count = 0;
      for (int u : units) {
        if (used + u > perPart) {
          lengths.add(count);
          used = 0;
          count = 0;
        }
        used += u;
        count++;
      }
      lengths.add(count);
    }
    int bits = total * (gsm ? 7 : 16);
    int segments = lengths.size();
    return new SmsSegments(
        gsm ? GSM_7 : UCS_2,
        segments,
        gsm ? total : graphemes.size(),
        text.codePointCount(0, text.length()),
        bits,
        segments > 1 ? bits + HEADER_BITS * segments : bits,
        lengths,
        gsm ? List.of() : nonGsm);
  }

  private static String smartEncode(String body) {
    StringBuilder sb = new StringBuilder(body.length());
    body.codePoints().forEach(cp -> sb.append(SMART.getOrDefault(cp, Character.toString(cp))));
    return sb.toString();
  }

  private static boolean isGsm(String grapheme) {
    return grapheme.codePoints().allMatch(cp -> GSM_BASIC.indexOf(cp) >= 0 || GSM_EXTENSION.indexOf(cp) >= 0);
  }
}
