package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import comms.core.contract.SequencesContract.Window;
import comms.core.sequence.SendingHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a sequence may send: local wall-clock hours [start, end) on the window's days in the
 * sequence's IANA zone, never on a holiday of its calendar. DST-correct: a start that falls in a
 * spring-forward gap opens when the gap ends; a start in a fall-back overlap opens at its first
 * occurrence (or its second, for an instant already past the first).
 */
public final class SendWindow implements PolicyRule, SendingHours {
  /** Far more closed days in a row than any calendar has; past it the window is taken to never open. */
  static final int MAX_DAYS_AHEAD = 3 * 366;

  private final Window window;
  private final ZoneId zone;
  private final HolidayCalendar holidays;

  public SendWindow(Window window, ZoneId zone, HolidayCalendar holidays) {
    this.window = Objects.requireNonNull(window);
    this.zone = Objects.requireNonNull(zone);
    this.holidays = Objects.requireNonNull(holidays);
  }

  /**
   * The window a sequence sends in: its own {@code requested} window (null: the contract's) after
   * checking that it narrows the contract's.
   */
  public static SendWindow of(SequencesContract contract, Window requested, ZoneId zone, HolidayCalendar holidays) {
    return new SendWindow(requested == null ? contract.sendWindow() : narrow(contract.sendWindow(), requested), zone, holidays);
  }

  /**
   * Returns {@code requested} when it lies within {@code contract}'s window (same or later start, same or
   * earlier end, only the contract's days); else refuses, saying how it widens the window.
   */
  public static Window narrow(Window contract, Window requested) {
    List<String> wider = new ArrayList<>();
    if (requested.start().isBefore(contract.start())) {
      wider.add("it starts at " + requested.start() + ", before " + contract.start());
    }
    if (requested.end().isAfter(contract.end())) {
      wider.add("it ends at " + requested.end() + ", after " + contract.end());
    }
    if (!contract.days().containsAll(requested.days())) {
      List<String> extra = requested.days().stream().filter(d -> !contract.days().contains(d)).map(d -> SequencesContract.DAYS.get(d.getValue() - 1)).toList();
      wider.add("it sends on " + String.join(", ", extra) + ", which the contract's window leaves out");
    }
    if (wider.isEmpty()) {
      return requested;
    }
    String where = requested.source() == null ? "" : requested.source() + ": ";
    throw new RuleRefusal(
        RULE, ExitCode.CONTRACT,
        where + "the sequence's send window " + requested + " is wider than the contract's " + contract + ": " + String.join("; ", wider)
            + ". A sequence may narrow the window (send_window in " + SequencesContract.FILE + "), never widen it");
  }

  public Window window() {
    return window;
  }

  public ZoneId zone() {
    return zone;
  }

  public HolidayCalendar holidays() {
    return holidays;
  }

  /** True when a send at {@code at} is inside the window. */
  public boolean isOpen(Instant at) {
    ZonedDateTime z = at.atZone(zone);
    LocalTime t = z.toLocalTime();
    return sendsOn(z.toLocalDate()) && !t.isBefore(window.start()) && t.isBefore(window.end());
  }

  /** The first instant at or after {@code due} when a send is allowed: {@code due} itself when the window is open. */
  public Instant shift(Instant due) {
    ZonedDateTime z = due.atZone(zone);
    LocalDate d = z.toLocalDate();
    for (int i = 0; i <= MAX_DAYS_AHEAD; i++, d = d.plusDays(1)) {
      if (!sendsOn(d)) {
        continue;
      }
      if (i == 0) {
        LocalTime t = z.toLocalTime();
        if (!t.isBefore(window.end())) {
          continue;
        }
        if (!t.isBefore(window.start())) {
          return due;
        }
      }
      return opening(d, due);
    }
    throw new RuleRefusal(
        RULE, ExitCode.CONTRACT,
        "the send window " + window + " in " + zone + " with holidays " + holidays + " does not open in the " + MAX_DAYS_AHEAD
            + " days after " + due + "; give it more days or fewer extra holidays");
  }

  /** Empty when {@code at} is inside the window; else {@code holiday} or {@code window}, and the next opening. */
  @Override
  public Optional<Closed> closed(Instant at) {
    if (isOpen(at)) {
      return Optional.empty();
    }
    String reason = holidays.isHoliday(at.atZone(zone).toLocalDate()) ? "holiday" : "window";
    return Optional.of(new Closed(reason, shift(at)));
  }

  private boolean sendsOn(LocalDate d) {
    return window.days().contains(d.getDayOfWeek()) && !holidays.isHoliday(d);
  }

  /** The instant the window opens on {@code d}, not before {@code notBefore}. */
  private Instant opening(LocalDate d, Instant notBefore) {
    LocalDateTime start = d.atTime(window.start());
    ZoneOffsetTransition gap = zone.getRules().getTransition(start);
    if (gap != null && gap.isGap()) {
      return gap.getInstant();
    }
    ZonedDateTime z = ZonedDateTime.ofLocal(start, zone, null);
    if (z.toInstant().isBefore(notBefore)) {
      z = z.withLaterOffsetAtOverlap();
    }
    return z.toInstant();
  }

  private static final PolicyRule RULE =
      new PolicyRule() {
        @Override
        public String name() {
          return "send_window";
        }

        @Override
        public String cites() {
          return "outbound contract §2: no bypassing the send window (8am–8pm in the sequence's IANA timezone, no holidays)";
        }
      };

  @Override
  public String name() {
    return RULE.name();
  }

  @Override
  public String cites() {
    return RULE.cites();
  }

  @Override
  public String toString() {
    return window + " in " + zone + ", holidays " + holidays;
  }
}
