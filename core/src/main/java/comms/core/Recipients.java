package comms.core;

import java.util.Locale;

/**
 * One spelling per recipient, so a consent record, a suppression and a log line about the same
 * person always compare equal: email addresses trimmed and lower-cased, phone numbers in E.164 as
 * given with spacing and punctuation removed.
 */
public final class Recipients {
  private Recipients() {}

  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String t = raw.trim();
    if (t.indexOf('@') >= 0) {
      return t.toLowerCase(Locale.ROOT);
    }
    if (looksLikePhone(t)) {
      StringBuilder sb = new StringBuilder(t.length());
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if ((c >= '0' && c <= '9') || (c == '+' && sb.length() == 0)) {
          sb.append(c);
        }
      }
      return sb.toString();
    }
    return t;
  }

  /** A normalized email domain: lower-case, without a leading '@' or a trailing dot. */
  public static String domain(String raw) {
    String d = raw.trim().toLowerCase(Locale.ROOT);
    if (d.startsWith("@")) {
      d = d.substring(1);
    }
    while (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    return d;
  }

  public static boolean isEmail(String normalized) {
    return normalized != null && normalized.indexOf('@') >= 0;
  }

  private static boolean looksLikePhone(String t) {
    if (t.isEmpty()) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!(c == '+' && i == 0) && c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
        return false;
      }
    }
    return digit;
  }
}
