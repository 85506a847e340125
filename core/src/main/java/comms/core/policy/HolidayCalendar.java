package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import de.focus_shift.jollyday.core.CalendarHierarchy;
import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The days a sequence does not send: the public and bank holidays of a jollyday calendar (ISO 3166
 * country, optional subdivision) plus extra dates the sequence names. jollyday parses an XML calendar
 * on first use (over half a second), so calendars load only when a sequence is judged and are cached
 * per calendar, and holidays per calendar and year.
 */
public final class HolidayCalendar implements PolicyRule {
  private static final Map<String, HolidayManager> MANAGERS = new ConcurrentHashMap<>();
  private static final Map<String, Map<LocalDate, String>> YEARS = new ConcurrentHashMap<>();
  private static volatile Set<String> codes;

  private final String country;
  private final List<String> subdivision;
  private final Map<LocalDate, String> extra;

  private HolidayCalendar(String country, List<String> subdivision, Collection<LocalDate> extraDates) {
    this.country = country;
    this.subdivision = List.copyOf(subdivision);
    Map<LocalDate, String> e = new HashMap<>();
    for (LocalDate d : extraDates == null ? List.<LocalDate>of() : extraDates) {
      e.put(d, "an extra holiday of the sequence");
    }
    this.extra = Map.copyOf(e);
  }

  /**
   * A country's calendar, optionally narrowed to a subdivision, plus extra dates. The country may carry
   * the subdivision itself ({@code US-NY}); the subdivision may be written {@code NY}, {@code ny} or
   * {@code US-NY}. An unknown country or subdivision is refused, saying how to write one.
   */
  public static HolidayCalendar of(String country, String subdivision, Collection<LocalDate> extraDates) {
    String c = country == null ? "" : country.strip();
    List<String> path = new ArrayList<>();
    int dash = c.indexOf('-');
    if (dash > 0) {
      if (subdivision != null && !subdivision.isBlank()) {
        throw refuse("holiday calendar '" + c + "' already names a subdivision; give it once, as country " + c.substring(0, dash)
            + " with subdivision " + c.substring(dash + 1) + ", or as " + c + " alone");
      }
      for (String p : c.substring(dash + 1).split("-")) {
        path.add(p.toLowerCase(Locale.ROOT));
      }
      c = c.substring(0, dash);
    } else if (subdivision != null && !subdivision.isBlank()) {
      String s = subdivision.strip();
      if (s.toUpperCase(Locale.ROOT).startsWith(c.toUpperCase(Locale.ROOT) + "-")) {
        s = s.substring(c.length() + 1);
      }
      for (String p : s.split("-")) {
        path.add(p.toLowerCase(Locale.ROOT));
      }
    }
    String code = c.toUpperCase(Locale.ROOT);
    if (!supported().contains(code)) {
      throw refuse("holiday calendar '" + (country == null ? "" : country.strip()) + "' is not one comms knows; write an ISO 3166 country code such as US or DE, "
          + "and a subdivision as US-NY or as country US with subdivision NY. Known calendars: " + String.join(", ", new TreeSet<>(supported())));
    }
    CalendarHierarchy h = manager(code).getCalendarHierarchy();
    String at = code;
    for (String p : path) {
      CalendarHierarchy child = h.getChildren().get(p);
      if (child == null) {
        throw refuse(unknownSubdivision(at, p, h));
      }
      at = at + "-" + p.toUpperCase(Locale.ROOT);
      h = child;
    }
    return new HolidayCalendar(code, path, extraDates);
  }

  /** The calendar a contract or sequence file names, refusals prefixed with where it was written. */
  public static HolidayCalendar of(SequencesContract.Holidays holidays, Collection<LocalDate> extraDates) {
    try {
      return of(holidays.country(), holidays.subdivision(), extraDates);
    } catch (RuleRefusal r) {
      throw holidays.source() == null ? r : new RuleRefusal(RULE, r.exitCode(), holidays.source() + ": " + r.getMessage());
    }
  }

  /** No country's holidays, only the extra dates (a sequence that names none and wants none). */
  public static HolidayCalendar extraOnly(Collection<LocalDate> extraDates) {
    return new HolidayCalendar(null, List.of(), extraDates);
  }

  /** The calendar as written back: {@code US}, {@code US-NY}, {@code DE-BY}, or {@code none}. */
  public String id() {
    if (country == null) {
      return "none";
    }
    StringBuilder b = new StringBuilder(country);
    subdivision.forEach(p -> b.append('-').append(p.toUpperCase(Locale.ROOT)));
    return b.toString();
  }

  /** True when nothing is sent on {@code date}, a local date in the sequence's zone. */
  public boolean isHoliday(LocalDate date) {
    return holiday(date).isPresent();
  }

  /** The holiday's name on {@code date} (an observed day carries the holiday's name too), or empty. */
  public Optional<String> holiday(LocalDate date) {
    String e = extra.get(date);
    if (e != null) {
      return Optional.of(e);
    }
    if (country == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(year(date.getYear()).get(date));
  }

  private Map<LocalDate, String> year(int year) {
    return YEARS.computeIfAbsent(id() + "/" + year, k -> {
      Map<LocalDate, String> days = new HashMap<>();
      for (Holiday h : manager(country).getHolidays(Year.of(year), subdivision.toArray(String[]::new))) {
        if (h.getType() == HolidayType.OBSERVANCE) {
          continue;
        }
        String name = h.getDescription(Locale.ENGLISH);
        // Close the day itself and the day it is observed on (July 4 on a Saturday is kept on Friday 3).
        days.putIfAbsent(h.getDate(), name);
        days.putIfAbsent(h.getActualDate(), name);
        h.getObservedDate().ifPresent(d -> days.putIfAbsent(d, name));
      }
      return Map.copyOf(days);
    });
  }

  private static HolidayManager manager(String code) {
    return MANAGERS.computeIfAbsent(code, c -> HolidayManager.getInstance(ManagerParameters.create(c)));
  }

  private static Set<String> supported() {
    Set<String> s = codes;
    if (s == null) {
      codes = s = Set.copyOf(HolidayManager.getSupportedCalendarCodes());
    }
    return s;
  }

  private static String unknownSubdivision(String at, String given, CalendarHierarchy h) {
    if (h.getChildren().isEmpty()) {
      return "holiday calendar " + at + " has no subdivisions, so '" + given.toUpperCase(Locale.ROOT) + "' cannot be one; leave the subdivision out";
    }
    List<String> known = new ArrayList<>();
    new TreeSet<>(h.getChildren().keySet())
        .forEach(k -> known.add(k.toUpperCase(Locale.ROOT) + " (" + h.getChildren().get(k).getDescription(Locale.ENGLISH) + ")"));
    return "holiday calendar " + at + " has no subdivision '" + given.toUpperCase(Locale.ROOT) + "'; write one of " + String.join(", ", known)
        + ", as " + at + "-" + h.getChildren().keySet().stream().sorted().findFirst().orElse("").toUpperCase(Locale.ROOT) + " or with subdivision: "
        + h.getChildren().keySet().stream().sorted().findFirst().orElse("").toUpperCase(Locale.ROOT);
  }

  private static RuleRefusal refuse(String sentence) {
    return new RuleRefusal(RULE, ExitCode.CONTRACT, sentence);
  }

  private static final PolicyRule RULE = new HolidayCalendar(null, List.of(), List.of());

  @Override
  public String name() {
    return "holiday_calendar";
  }

  @Override
  public String cites() {
    return "outbound contract §2: no sending on holidays of the sequence's calendar (jollyday, ISO 3166 country and subdivision)";
  }

  @Override
  public String toString() {
    return id() + (extra.isEmpty() ? "" : " + " + extra.size() + " extra dates");
  }
}
