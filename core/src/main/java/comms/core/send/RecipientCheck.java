package comms.core.send;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import comms.core.Recipients;
import comms.core.contract.Channels;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.DomainValidator;
import org.apache.commons.validator.routines.EmailValidator;

/**
 * Whether a recipient can be addressed on a channel, its canonical form ({@link Recipients}: E.164 for
 * SMS, lower-case with an IDNA ASCII domain for email) and, for phone numbers, the time zones
 * libphonenumber gives for it.
 *
 * @param normalized the form stores, logs and providers use; when it cannot be normalized, the trimmed
 *     input with control characters shown as escapes (it is printed and logged, never sent)
 * @param zones the number's time zones, empty when unknown (and always for email)
 * @param readable false when the input cannot be read as a phone number or an email address at all
 *     (no '+' and country code, characters no number has, no '@'): a usage error, not a policy block
 */
public record RecipientCheck(
    String channel, String input, String normalized, Gate.Result result, String reason, List<ZoneId> zones, boolean readable) {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final Pattern PHONE_CHARS = Pattern.compile("\\+[0-9 ().\\-]+");
  private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-]+";
  private static final Pattern DOT_ATOM = Pattern.compile(ATEXT + "(\\." + ATEXT + ")*");
  private static final String UNKNOWN_ZONE = "Etc/Unknown";

  /**
   * Names that are never a mail domain (RFC 6761 and RFC 2606 special-use names, mDNS), so a missing
   * top-level domain is not "fixed" by suggesting {@code localhost.com}.
   */
  private static final java.util.Set<String> SPECIAL_USE = java.util.Set.of("localhost", "localdomain", "local", "invalid", "test", "example", "internal", "home", "lan");

  /**
   * Characters IDNA2003 (the JDK's IDN) maps away but IDNA2008/UTS #46 non-transitional keeps, so the
   * same typed domain names two different registered domains (faß.de: fass.de or xn--zca.de).
   */
  private static final String IDNA_DEVIATIONS = "\u00DF\u03C2\u200C\u200D";

  public RecipientCheck {
    zones = List.copyOf(zones);
    // The reason quotes the recipient as given; one from a customer record may carry CR/LF or a
    // terminal escape, which must not break the line or reach a terminal as a control sequence.
    reason = printable(reason);
  }

  public RecipientCheck(String channel, String input, String normalized, Gate.Result result, String reason, List<ZoneId> zones) {
    this(channel, input, normalized, result, reason, zones, true);
  }

  /** {@code s} with control and invisible formatting characters written as visible escapes, such as a backslash and n. */
  static String printable(String s) {
    if (s == null || s.codePoints().noneMatch(RecipientCheck::unprintable)) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (unprintable(c)) {
        sb.append(String.format("\\u%04X", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }

  private static boolean unprintable(int c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
  }

  /** Checks {@code to} for {@code channel}; {@code live} turns possible-but-unassigned numbers into a failure. */
  public static RecipientCheck of(String channel, String to, boolean live) {
    return switch (channel) {
      case Channels.SMS -> sms(to, live);
      case Channels.EMAIL -> email(to);
      default -> throw new IllegalArgumentException("no recipient rules for channel " + channel);
    };
  }

  public Gate gate() {
    return new Gate(Gate.RECIPIENT, result, reason);
  }

  public boolean usable() {
    return result != Gate.Result.fail;
  }

  // ------------------------------------------------------------------ SMS

  public static RecipientCheck sms(String to, boolean live) {
    String typed = to == null ? "" : to;
    // Surrounding spaces are no part of a number, and full-width digits are the same digits.
    String in = Recipients.compatible(typed);
    String example = "in E.164 form, such as +13125550142";
    if (in.isBlank()) {
      return unreadable(Channels.SMS, typed, "no phone number given; pass --to " + example);
    }
    if (!in.startsWith("+")) {
      return unreadable(Channels.SMS, typed, "'" + in + "' is not " + example + ": it must start with + and the country code");
    }
    if (!PHONE_CHARS.matcher(in).matches()) {
      return unreadable(Channels.SMS, typed, "'" + in + "' has characters that are not part of a phone number; write it " + example);
    }
    PhoneNumber n;
    try {
      n = PHONES.parse(in, "ZZ");
    } catch (NumberParseException e) {
      String why =
          e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE
              ? "its country code is not known"
              : "libphonenumber cannot read it (" + e.getMessage() + ")";
      return unreadable(Channels.SMS, typed, "'" + in + "' is not a phone number: " + why + "; write it " + example);
    }
    String e164 = PHONES.format(n, PhoneNumberFormat.E164);
    in = typed;
    String cc = "+" + n.getCountryCode();
    PhoneNumberUtil.ValidationResult possible = PHONES.isPossibleNumberWithReason(n);
    String problem =
        switch (possible) {
          case TOO_SHORT -> "is too short for a number in country code " + cc;
          case TOO_LONG -> "is too long for a number in country code " + cc;
          case INVALID_LENGTH -> "has a length no number in country code " + cc + " uses";
          case IS_POSSIBLE_LOCAL_ONLY -> "can only be dialled locally, not reached in E.164 form";
          case INVALID_COUNTRY_CODE -> "has a country code that is not known";
          case IS_POSSIBLE -> null;
        };
    if (problem != null) {
      return new RecipientCheck(Channels.SMS, in, e164, Gate.Result.fail, e164 + " " + problem + "; check the number", List.of());
    }
    List<ZoneId> zones = zones(n);
    if (PHONES.isValidNumber(n)) {
      String region = PHONES.getRegionCodeForNumber(n);
      String type = PHONES.getNumberType(n).name().toLowerCase(Locale.ROOT).replace('_', ' ');
      return new RecipientCheck(Channels.SMS, in, e164, Gate.Result.pass, e164 + " is a valid " + region + " number (" + type + ")", zones);
    }
    String why = e164 + " has the right length but libphonenumber knows no such assigned number (like the fictional 555 range)";
    return live
        ? new RecipientCheck(Channels.SMS, in, e164, Gate.Result.fail, why + "; live mode refuses it, use a real number", zones)
        : new RecipientCheck(Channels.SMS, in, e164, Gate.Result.warn, why + "; allowed in simulation only, live mode will refuse it", zones);
  }

  /** Input that is not a phone number or an address at all: refused as a usage error, never recorded. */
  private static RecipientCheck unreadable(String channel, String typed, String reason) {
    return new RecipientCheck(channel, typed, printable(Recipients.compatible(typed)), Gate.Result.fail, reason, List.of(), false);
  }

  /** The zones libphonenumber knows for the number; empty for numbers it cannot place. */
  private static List<ZoneId> zones(PhoneNumber n) {
    List<ZoneId> out = new ArrayList<>();
    for (String id : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(n)) {
      if (UNKNOWN_ZONE.equals(id)) {
        continue;
      }
      try {
        out.add(ZoneId.of(id));
      } catch (DateTimeException e) {
        // A zone id newer than this JDK's tz database: judge by the others (or the default zone).
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- email

  public static RecipientCheck email(String to) {
    String typed = to == null ? "" : to;
    // Surrounding spaces are dropped and compatibility forms folded (full-width letters, '＠', '．').
    String in = Recipients.compatible(typed);
    if (in.isEmpty()) {
      return unreadable(Channels.EMAIL, typed, "no email address given; pass --to name@example.com");
    }
    long ats = in.chars().filter(c -> c == '@').count();
    if (ats == 0) {
      return unreadable(Channels.EMAIL, typed, "'" + in + "' has no '@'; an email address looks like name@example.com");
    }
    if (ats > 1) {
      return emailFail(in, "'" + in + "' has " + ats + " '@' signs; an address has exactly one, as in name@example.com");
    }
    if (in.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
      return emailFail(in, "'" + in + "' contains spaces or control characters; remove them");
    }
    int at = in.indexOf('@');
    String local = in.substring(0, at);
    String typedDomain = in.substring(at + 1);
    if (local.isEmpty()) {
      return emailFail(in, "'" + in + "' has nothing before the '@'");
    }
    if (typedDomain.isEmpty()) {
      return emailFail(in, "'" + in + "' has nothing after the '@'; add the domain, as in name@example.com");
    }
    if (!DOT_ATOM.matcher(local).matches()) {
      return emailFail(
          in,
          "the part before '@' in '" + in + "' must be letters, digits and !#$%&'*+/=?^_`{|}~- in dot-separated words"
              + " (no leading, trailing or double dots; quoted forms are not accepted)");
    }
    if (local.length() > 64) {
      return emailFail(in, "the part before '@' in '" + in + "' is longer than 64 characters");
    }
    if (typedDomain.startsWith("[")) {
      return emailFail(in, "'" + in + "' uses an address literal; use a domain name with a real top-level domain");
    }
    if (typedDomain.endsWith(".") || typedDomain.endsWith("\u3002") || typedDomain.endsWith("\uFF61")) {
      return emailFail(in, "the domain '" + typedDomain + "' in '" + in + "' ends with a dot; remove it");
    }
    String lowerDomain = typedDomain.toLowerCase(Locale.ROOT);
    for (int c : lowerDomain.codePoints().toArray()) {
      if (IDNA_DEVIATIONS.indexOf(c) >= 0) {
        return emailFail(
            in,
            "the domain '" + typedDomain + "' contains " + String.format("U+%04X", c) + " (" + new String(Character.toChars(c)) + "), which the old and the"
                + " new IDNA rules spell as two different domains (faß.de is fass.de or xn--zca.de); write the domain in its xn-- form"
                + " or in plain letters, whichever the recipient's address really is");
      }
    }
    String normalized = Recipients.normalize(in);
    String domain = normalized.substring(normalized.lastIndexOf('@') + 1);
    int dot = domain.lastIndexOf('.');
    if (dot < 0) {
      if (SPECIAL_USE.contains(domain)) {
        return emailFail(in, "'" + domain + "' in '" + in + "' is a special-use name (this machine or a local network), not a mail domain; use an address at a real domain");
      }
      return emailFail(in, "the domain '" + typedDomain + "' has no top-level domain; write it in full, as in " + local + "@" + typedDomain + ".com");
    }
    String tld = domain.substring(dot + 1);
    if (!tld.isEmpty() && !DomainValidator.getInstance(false).isValidTld(tld)) {
      return emailFail(in, "'." + Recipients.readableDomain(tld) + "' in '" + in + "' is not a real top-level domain; check the spelling");
    }
    String ascii = local + "@" + domain;
    if (ascii.length() > 254 || !EmailValidator.getInstance(false, false).isValid(ascii)) {
      return emailFail(in, "the domain '" + typedDomain + "' in '" + in + "' is not a valid domain name; check the spelling");
    }
    String typedAs = in.equalsIgnoreCase(normalized) ? "" : " (typed " + in + ")";
    return new RecipientCheck(Channels.EMAIL, typed, normalized, Gate.Result.pass, normalized + " is a valid address" + typedAs, List.of());
  }

  private static RecipientCheck emailFail(String in, String reason) {
    return new RecipientCheck(Channels.EMAIL, in, printable(in), Gate.Result.fail, reason, List.of());
  }
}
