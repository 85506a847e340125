package comms.core.reply;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day an out-of-office says its sender is back, read from its words in a few common English
 * forms: "back on Monday, December 14", "returning 14 December 2026", "until Dec 14th", "through
 * 12/11/2026", "back 2026-12-14". "back", "return" and "until" name the day they are back; "through"
 * and "thru" name their last day away (back the day after). A date without a year is the next such
 * day on or after the message. Nothing is read when no date follows such a word, or the date is in
 * the past or more than 180 days ahead (then the contract's default pause applies).
 */
public final class ReturnDate {
  private ReturnDate() {}

  private static final String MONTH =
      "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
  private static final String WEEKDAY = "(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?";
  private static final String KEYWORD =
      "\\b(back(?: in the office| in office| at work| at my desk)?(?: on)?|return(?:ing|s)?(?: to (?:the )?(?:office|work))?(?: on)?|until|till|through|thru)\\b[\\s:,]*(?:on\\s+|the\\s+)?";
  private static final List<Pattern> FORMS =
      List.of(
          // Monday, December 14(th)(, 2026)
          Pattern.compile(KEYWORD + WEEKDAY + MONTH + "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?", Pattern.CASE_INSENSITIVE),
          // 14(th) (of) December (2026)
          Pattern.compile(KEYWORD + WEEKDAY + "(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\.?(?:,?\\s+(\\d{4}))?", Pattern.CASE_INSENSITIVE),
          // 2026-12-14
          Pattern.compile(KEYWORD + WEEKDAY + "(\\d{4})-(\\d{2})-(\\d{2})", Pattern.CASE_INSENSITIVE),
          // 12/14(/2026): US month first
          Pattern.compile(KEYWORD + WEEKDAY + "(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?", Pattern.CASE_INSENSITIVE));

  /** The return day in {@code text}, for a message received at {@code received} (null: no date can be placed). */
  public static Optional<LocalDate> read(String text, Instant received) {
    if (text == null || received == null) {
      return Optional.empty();
    }
    LocalDate on = received.atOffset(ZoneOffset.UTC).toLocalDate();
    String t = text.replaceAll("\\s+", " ");
    LocalDate best = null;
    int bestAt = Integer.MAX_VALUE;
    for (int form = 0; form < FORMS.size(); form++) {
      Matcher m = FORMS.get(form).matcher(t);
      while (m.find()) {
        Optional<LocalDate> d = date(form, m, on);
        if (d.isEmpty()) {
          continue;
        }
        String word = m.group(1).toLowerCase(Locale.ROOT);
        LocalDate back = word.startsWith("through") || word.startsWith("thru") ? d.get().plusDays(1) : d.get();
        if (!back.isBefore(on) && !back.isAfter(on.plusDays(180))) {
          if (m.start() < bestAt) {
            best = back;
            bestAt = m.start();
          }
          break;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<LocalDate> date(int form, Matcher m, LocalDate on) {
    try {
      return switch (form) {
        case 0 -> withYear(month(m.group(2)), Integer.parseInt(m.group(3)), m.group(4), on);
        case 1 -> withYear(month(m.group(3)), Integer.parseInt(m.group(2)), m.group(4), on);
        case 2 -> Optional.of(LocalDate.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        default -> withYear(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4), on);
      };
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<LocalDate> withYear(int month, int day, String year, LocalDate on) {
    if (year != null) {
      int y = Integer.parseInt(year);
      return Optional.of(LocalDate.of(y < 100 ? 2000 + y : y, month, day));
    }
    LocalDate d = LocalDate.of(on.getYear(), month, day);
    return Optional.of(d.isBefore(on) ? d.plusYears(1) : d);
  }

  private static int month(String name) {
    String n = name.toLowerCase(Locale.ROOT).substring(0, 3);
    return List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(n) + 1;
  }
}
