package comms.core;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one canonical spelling of a recipient, so consent, suppressions, idempotency keys, caps, the
 * log and every "already active" check see one identity however it was typed: Unicode compatibility
 * forms folded (NFKC, so full-width {@code ｍａｒｉａ＠ｂüｃｈｅｒ．ｄｅ} is {@code maria@bücher.de}),
 * surrounding spaces dropped, email addresses lower-cased with the domain in its IDNA ASCII form
 * ({@code bücher.de} and {@code xn--bcher-kva.de} are both {@code xn--bcher-kva.de}), phone numbers in
 * E.164.
 *
 * <p>IDNA is the JDK's {@link IDN} (IDNA2003: nameprep, which maps case and NFKC, then Punycode), not
 * ICU4J's UTS #46: it covers every case we need (U-label and A-label spellings, full-width letters and
 * the ideographic full stops as dots) and costs nothing to ship, while ICU4J would add a 14 MB jar to a
 * short-lived CLI with start-up benchmarks. IDNA2003 agrees with UTS #46 transitional processing; it
 * differs from the non-transitional processing mail clients now use only for the four "deviation"
 * characters (ß, final sigma ς, ZWJ, ZWNJ), which {@code comms.core.send.RecipientCheck} refuses to send
 * to for that reason. Characters newer than Unicode 3.2 (IDNA2003's repertoire) are let through
 * unmapped (after our own NFKC with the JDK's current Unicode), so such a domain still has one form.
 * Only non-ASCII input pays for IDNA or libphonenumber; ASCII addresses and compact numbers (what the
 * store and the log hold) take a fast path.
 */
public final class Recipients {
  private Recipients() {}

  private static final Pattern COMPACT_PHONE = Pattern.compile("\\+[0-9]{1,17}");

  /**
   * {@code raw} with Unicode compatibility forms folded (NFKC) and surrounding spaces removed; null
   * stays null. Only spaces (Unicode space separators) go: a line break or other control character
   * around a recipient is suspect input, left in place for the recipient gate to refuse, never
   * silently cleaned.
   */
  public static String compatible(String raw) {
    if (raw == null) {
      return null;
    }
    String t = ascii(raw) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFKC);
    int start = 0;
    int end = t.length();
    while (start < end && Character.isSpaceChar(t.charAt(start))) {
      start++;
    }
    while (end > start && Character.isSpaceChar(t.charAt(end - 1))) {
      end--;
    }
    return t.substring(start, end);
  }

  /**
   * The canonical identity of a recipient: an email address (anything with an '@') with its local
   * part lower-cased and its domain as {@link #domain}; a phone number in E.164 (libphonenumber), or
   * with its punctuation removed when libphonenumber cannot read it; anything else as {@link
   * #compatible}, for the recipient gate to refuse.
   */
  public static String normalize(String raw) {
    String t = compatible(raw);
    if (t == null) {
      return null;
    }
    int at = t.lastIndexOf('@');
    if (at >= 0) {
      return t.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain(t.substring(at + 1));
    }
    if (COMPACT_PHONE.matcher(t).matches()) {
      return t;
    }
    if (looksLikePhone(t)) {
      String compact = compactPhone(t);
      if (compact.startsWith("+")) {
        try {
          PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
          return phones.format(phones.parse(compact, "ZZ"), PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
          return compact;
        }
      }
      return compact;
    }
    return t;
  }

  /**
   * The canonical email domain: NFKC, lower-case, without a leading '@' or trailing dots, each label
   * in its IDNA ASCII form (A-label). A domain IDNA refuses (an over-long label, a prohibited
   * character) keeps its folded spelling, which the recipient gate then refuses.
   */
  public static String domain(String raw) {
    String d = compatible(raw);
    if (d == null) {
      return null;
    }
    d = d.toLowerCase(Locale.ROOT);
    if (d.startsWith("@")) {
      d = d.substring(1);
    }
    if (!ascii(d)) {
      // The label separators IDNA accepts besides '.' (NFKC already turned U+FF0E into '.').
      d = d.replace('\u3002', '.').replace('\uFF61', '.');
    }
    while (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (ascii(d) || d.isEmpty()) {
      return d;
    }
    try {
      return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return d;
    }
  }

  /** The email domain as a person reads it (U-labels), for messages; the canonical form when IDNA cannot decode it. */
  public static String readableDomain(String canonicalDomain) {
    if (canonicalDomain == null || !canonicalDomain.contains("xn--")) {
      return canonicalDomain;
    }
    try {
      return IDN.toUnicode(canonicalDomain, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return canonicalDomain;
    }
  }

  public static boolean isEmail(String normalized) {
    return normalized != null && normalized.indexOf('@') >= 0;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String compactPhone(String t) {
    StringBuilder sb = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if ((c >= '0' && c <= '9') || (c == '+' && sb.length() == 0)) {
        sb.append(c);
      }
    }
    return sb.toString();
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
