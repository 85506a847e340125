package comms.core.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer for plain trees (Map, List, String, Number, Boolean, null).
 * comms writes one JSON line per delivery and reads them back by the million; a dependency-free codec
 * keeps start-up cheap and the output byte-for-byte predictable (keys in insertion order).
 */
public final class Json {
  private Json() {}

  /** Thrown for text that is not one complete JSON value. */
  public static final class JsonException extends RuntimeException {
    private final int offset;

    JsonException(String message, int offset) {
      super(message + " at character " + (offset + 1));
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }
  }

  // ---------------------------------------------------------------- writing

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1, 0);
    return sb.toString();
  }

  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 2, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof BigDecimal) {
      sb.append(v);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString());
    } else if (v instanceof Number n) {
      sb.append(n);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (var e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, depth + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(indent >= 0 ? ": " : ":");
        write(sb, e.getValue(), indent, depth + 1);
      }
      if (!m.isEmpty()) {
        newline(sb, indent, depth);
      }
      sb.append('}');
    } else if (v instanceof Iterable<?> list) {
      sb.append('[');
      boolean first = true;
      for (Object o : list) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, depth + 1);
        write(sb, o, indent, depth + 1);
      }
      if (!first) {
        newline(sb, indent, depth);
      }
      sb.append(']');
    } else {
      quote(sb, v.toString());
    }
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n');
      sb.append(" ".repeat(indent * depth));
    }
  }

  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          // Line and paragraph separators would break a JSONL reader that splits on them.
          if (Character.isSurrogate(c) && !validSurrogate(s, i)) {
            // Not valid Unicode, and no UTF-8 file can hold it: written as U+FFFD, as a UTF-8 encoder would.
            sb.append("\\ufffd");
          } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  // ---------------------------------------------------------------- reading

  /** Parses one JSON value; objects become insertion-ordered maps, numbers Long or BigDecimal. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw new JsonException("unexpected text after the JSON value", p.i);
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("expected a JSON object {…}", 0);
    }
    return (Map<String, Object>) v;
  }

  private static final class Parser {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (i >= s.length()) {
        throw new JsonException("unexpected end of text", i);
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw new JsonException("unexpected character '" + c + "'", i);
      }
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) {
        throw new JsonException("expected " + word, i);
      }
      i += word.length();
      return v;
    }

    private void deeper(int depth) {
      if (depth >= MAX_DEPTH) {
        throw new JsonException("nesting deeper than " + MAX_DEPTH + " objects and arrays", i);
      }
    }

    private Map<String, Object> object(int depth) {
      deeper(depth);
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw new JsonException("expected a quoted key", i);
        }
        int at = i;
        String k = string();
        ws();
        expect(':');
        ws();
        if (m.containsKey(k)) {
          throw new JsonException("duplicate key \"" + k + "\"", at);
        }
        m.put(k, value(depth + 1));
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    private List<Object> array(int depth) {
      deeper(depth);
      List<Object> l = new ArrayList<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        ws();
        l.add(value(depth + 1));
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    private void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw new JsonException("expected '" + c + "'", i);
      }
      i++;
    }

    private String string() {
      i++;
      boolean surrogates = false;
      StringBuilder sb = null;
      int start = i;
      while (true) {
        if (i >= s.length()) {
          throw new JsonException("unterminated string", start - 1);
        }
        char c = s.charAt(i);
        if (c == '"') {
          String out = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
          if (surrogates) {
            refuseLoneSurrogates(out, start - 1);
          }
          i++;
          return out;
        }
        if (Character.isSurrogate(c)) {
          surrogates = true;
        }
        if (c < 0x20) {
          throw new JsonException("control character in string", i);
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, start, i);
          i++;
          if (i >= s.length()) {
            throw new JsonException("unterminated escape", i);
          }
          char e = s.charAt(i);
          switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (i + 4 >= s.length()) {
                throw new JsonException("bad \\u escape", i);
              }
              int code = 0;
              for (int k = i + 1; k <= i + 4; k++) {
                int d = Character.digit(s.charAt(k), 16);
                if (d < 0 || s.charAt(k) > 'f') {
                  throw new JsonException("bad \\u escape: four hex digits must follow", i);
                }
                code = code * 16 + d;
              }
              sb.append((char) code);
              surrogates |= Character.isSurrogate((char) code);
              i += 4;
            }
            default -> throw new JsonException("bad escape \\" + e, i);
          }
          i++;
          start = i;
          continue;
        }
        i++;
      }
    }

    /** A number exactly as RFC 8259 writes one: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?. */
    /** RFC 8259 §8.2 leaves a lone surrogate undefined; comms reads only text that is valid Unicode. */
    private static void refuseLoneSurrogates(String t, int at) {
      for (int k = 0; k < t.length(); k++) {
        char c = t.charAt(k);
        if (Character.isHighSurrogate(c) && k + 1 < t.length() && Character.isLowSurrogate(t.charAt(k + 1))) {
          k++;
        } else if (Character.isSurrogate(c)) {
          throw new JsonException(String.format("lone surrogate U+%04X in a string (not valid Unicode)", (int) c), at);
        }
      }
    }

    private Object number() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        i++;
      } else if (digits() == 0) {
        throw new JsonException("bad number '" + s.substring(start, Math.min(i + 1, s.length())) + "'", start);
      }
      boolean frac = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        frac = true;
        if (digits() == 0) {
          throw new JsonException("bad number '" + s.substring(start, i) + "': a digit must follow the point", start);
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        frac = true;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (digits() == 0) {
          throw new JsonException("bad number '" + s.substring(start, i) + "': the exponent needs digits", start);
        }
      }
      if (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        throw new JsonException("bad number '" + s.substring(start, i + 1) + "': no leading zeros", start);
      }
      String t = s.substring(start, i);
      if (!frac && t.length() < 19) {
        return Long.parseLong(t);
      }
      return new BigDecimal(t);
    }

    private int digits() {
      int from = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i - from;
    }
  }
}
