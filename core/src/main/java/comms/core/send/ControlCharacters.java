package comms.core.send;

import java.util.Optional;

/**
 * The characters that may not appear in a header or any other one-line field (they could start a new
 * header or hide text), and how to show any text with its control characters as visible escapes.
 */
public final class ControlCharacters {
  private ControlCharacters() {}

  /** The first forbidden character of a field: its position (1-based, in characters) and code point. */
  public record Found(int position, int codePoint) {
    /** {@code U+000A LINE FEED (LF)}. */
    public String describe() {
      String name = Character.getName(codePoint);
      return String.format("U+%04X", codePoint) + (name == null ? "" : " " + name);
    }
  }

  /**
   * C0 controls (TAB included: a header or one-line field has no use for it), DEL, C1 controls (NEL
   * U+0085 included) and the Unicode line and paragraph separators.
   */
  public static boolean forbiddenInHeader(int c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029;
  }

  /** The first character of {@code s} that may not appear in a header, if any. */
  public static Optional<Found> firstInHeader(String s) {
    if (s == null) {
      return Optional.empty();
    }
    int position = 0;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      position++;
      if (forbiddenInHeader(c)) {
        return Optional.of(new Found(position, c));
      }
      i += Character.charCount(c);
    }
    return Optional.empty();
  }

  /** {@code s} as one line: every forbidden character and bidirectional override written as an escape ({@code \n}, {@code \u001B}). */
  public static String visible(String s) {
    return escape(s, false);
  }

  /** As {@link #visible}, but line feeds and tabs stay as they are: for text shown on several lines, such as a message body. */
  public static String visibleLines(String s) {
    return escape(s, true);
  }

  private static String escape(String s, boolean keepLines) {
    if (s == null || s.codePoints().noneMatch(c -> hidden(c, keepLines))) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    s.codePoints().forEach(c -> {
      if (!hidden(c, keepLines)) {
        sb.appendCodePoint(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append(String.format("\\u%04X", c));
      }
    });
    return sb.toString();
  }

  private static boolean hidden(int c, boolean keepLines) {
    if (keepLines && (c == '\n' || c == '\t')) {
      return false;
    }
    // Bidirectional embeddings, overrides and isolates can make text read differently from what it is.
    return forbiddenInHeader(c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
