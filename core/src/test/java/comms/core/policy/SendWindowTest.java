package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import comms.core.contract.SequencesContract.Window;
import comms.core.sequence.SendingHours;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendWindowTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final SequencesContract CONTRACT = Fixtures.contract();
  static final HolidayCalendar US = HolidayCalendar.of("US", null, List.of());
  static final HolidayCalendar NONE = HolidayCalendar.extraOnly(List.of());

  static SendWindow window(HolidayCalendar holidays) {
    return SendWindow.of(CONTRACT, null, NY, holidays);
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void edgesOnANormalDay() {
    // Wednesday 2026-10-14, EDT (UTC-4): 08:00 local is 12:00Z, 20:00 local is 00:00Z the next day.
    SendWindow w = window(US);
    assertFalse(w.isOpen(at("2026-10-14T11:59:00Z")), "07:59 closed");
    assertTrue(w.isOpen(at("2026-10-14T12:00:00Z")), "08:00 open");
    assertTrue(w.isOpen(at("2026-10-14T23:59:00Z")), "19:59 open");
    assertFalse(w.isOpen(at("2026-10-15T00:00:00Z")), "20:00 closed");
  }

  @Test
  void closedAnswersWhyAndWhenItOpens() {
    SendWindow w = window(US);
    assertEquals(new SendingHours.Closed("window", at("2026-10-14T12:00:00Z")), w.closed(at("2026-10-14T11:59:00Z")).orElseThrow());
    assertEquals(new SendingHours.Closed("window", at("2026-10-15T12:00:00Z")), w.closed(at("2026-10-15T00:00:00Z")).orElseThrow());
    assertTrue(w.closed(at("2026-10-14T12:00:00Z")).isEmpty());
  }

  @Test
  void shiftKeepsAnOpenInstantAndMovesAClosedOneToTheNextOpening() {
    SendWindow w = window(US);
    Instant open = at("2026-10-14T15:17:42Z");
    assertEquals(open, w.shift(open));
    assertEquals(at("2026-10-14T12:00:00Z"), w.shift(at("2026-10-14T04:00:00Z")));
  }

  @Test
  void springForwardDay() {
    // Sunday 2026-03-08: clocks go 02:00 EST -> 03:00 EDT. 08:00 is EDT (12:00Z), not EST (13:00Z).
    SendWindow w = window(US);
    assertFalse(w.isOpen(at("2026-03-08T11:59:00Z")), "07:59 EDT closed");
    assertTrue(w.isOpen(at("2026-03-08T12:00:00Z")), "08:00 EDT open");
    assertTrue(w.isOpen(at("2026-03-08T23:59:00Z")), "19:59 EDT open");
    assertFalse(w.isOpen(at("2026-03-09T00:00:00Z")), "20:00 EDT closed");
    // From Saturday evening (EST) the next opening is Sunday 08:00 EDT.
    assertEquals(at("2026-03-08T12:00:00Z"), w.shift(at("2026-03-08T01:30:00Z")));
  }

  @Test
  void fallBackDay() {
    // Sunday 2026-11-01: clocks go 02:00 EDT -> 01:00 EST. 08:00 is EST (13:00Z).
    SendWindow w = window(US);
    assertFalse(w.isOpen(at("2026-11-01T12:59:00Z")), "07:59 EST closed");
    assertTrue(w.isOpen(at("2026-11-01T13:00:00Z")), "08:00 EST open");
    assertTrue(w.isOpen(at("2026-11-02T00:59:00Z")), "19:59 EST open");
    assertFalse(w.isOpen(at("2026-11-02T01:00:00Z")), "20:00 EST closed");
    assertEquals(at("2026-11-01T13:00:00Z"), w.shift(at("2026-11-01T01:00:00Z")), "from Saturday 21:00 EDT");
  }

  @Test
  void aStartInsideTheSpringGapOpensWhenTheGapEnds() {
    // 02:30 does not exist on 2026-03-08 in New York; the first valid instant after it is 03:00 EDT = 07:00Z.
    SendWindow w = new SendWindow(Window.daily(LocalTime.of(2, 30), LocalTime.of(20, 0)), NY, NONE);
    assertEquals(at("2026-03-08T07:00:00Z"), w.shift(at("2026-03-08T05:00:00Z")));
    assertTrue(w.isOpen(at("2026-03-08T07:00:00Z")));
    assertFalse(w.isOpen(at("2026-03-08T06:59:59Z")), "01:59:59 EST is before the window");
  }

  @Test
  void aStartInsideTheFallBackOverlapOpensAtItsFirstOccurrence() {
    // 01:30 happens twice on 2026-11-01: 05:30Z (EDT) and 06:30Z (EST).
    SendWindow w = new SendWindow(Window.daily(LocalTime.of(1, 30), LocalTime.of(20, 0)), NY, NONE);
    assertEquals(at("2026-11-01T05:30:00Z"), w.shift(at("2026-11-01T04:00:00Z")));
    // 01:10 EST, after the first 01:30 went by: local time is before the start again, so the second 01:30.
    assertEquals(at("2026-11-01T06:30:00Z"), w.shift(at("2026-11-01T06:10:00Z")));
  }

  @Test
  void aHolidayPushesTheOpeningToTheNextDay() {
    // Thanksgiving 2026-11-26 (Thursday). From Wednesday 20:30 EST the next opening is Friday 08:00 EST.
    SendWindow w = window(US);
    Instant wednesdayEvening = at("2026-11-26T01:30:00Z");
    assertEquals(new SendingHours.Closed("window", at("2026-11-27T13:00:00Z")), w.closed(wednesdayEvening).orElseThrow());
    Instant thanksgivingNoon = at("2026-11-26T17:00:00Z");
    assertEquals(new SendingHours.Closed("holiday", at("2026-11-27T13:00:00Z")), w.closed(thanksgivingNoon).orElseThrow());
    assertTrue(window(NONE).isOpen(thanksgivingNoon), "without the calendar the same instant is open");
  }

  @Test
  void anExtraHolidayOfTheSequenceClosesItsDay() {
    SendWindow w = window(HolidayCalendar.of("US", null, List.of(LocalDate.of(2026, 10, 14))));
    assertEquals(new SendingHours.Closed("holiday", at("2026-10-15T12:00:00Z")), w.closed(at("2026-10-14T15:00:00Z")).orElseThrow());
  }

  @Test
  void weekendsAreOpenUnlessTheWindowLeavesThemOut() {
    Instant saturdayNoon = at("2026-10-17T16:00:00Z");
    assertTrue(window(US).isOpen(saturdayNoon), "the default window sends every day");
    Window weekdays = new Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    SendWindow w = SendWindow.of(CONTRACT, weekdays, NY, US);
    assertFalse(w.isOpen(saturdayNoon));
    // Friday 20:00 EDT -> Monday 08:00 EDT.
    assertEquals(at("2026-10-19T12:00:00Z"), w.shift(at("2026-10-17T00:00:00Z")));
  }

  @Test
  void aFridayHolidayBeforeAWeekdayOnlyWeekendWaitsForMonday() {
    // Friday 2026-12-25 is Christmas; with mon-fri only, Thursday evening opens next on Monday 2026-12-28.
    Window weekdays = new Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    SendWindow w = SendWindow.of(CONTRACT, weekdays, NY, US);
    assertEquals(at("2026-12-28T13:00:00Z"), w.shift(at("2026-12-25T01:00:00Z")));
  }

  @Test
  void aSequenceMayNarrowTheWindow() {
    Window narrower = new Window(null, LocalTime.of(9, 0), LocalTime.of(17, 0), EnumSet.of(DayOfWeek.TUESDAY));
    assertSame(narrower, SendWindow.narrow(CONTRACT.sendWindow(), narrower));
    SendWindow w = SendWindow.of(CONTRACT, narrower, NY, US);
    assertFalse(w.isOpen(at("2026-10-13T12:30:00Z")), "Tuesday 08:30 is outside 09:00–17:00");
    assertTrue(w.isOpen(at("2026-10-13T13:00:00Z")));
  }

  @Test
  void aSequenceMayNotWidenTheWindow() {
    Window earlier = Window.daily(LocalTime.of(7, 0), LocalTime.of(21, 0));
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> SendWindow.narrow(CONTRACT.sendWindow(), earlier));
    assertEquals(ExitCode.CONTRACT, r.exitCode());
    assertEquals("send_window", r.rule());
    assertTrue(r.getMessage().contains("starts at 07:00, before 08:00") && r.getMessage().contains("ends at 21:00, after 20:00"), r.getMessage());
    assertTrue(r.getMessage().contains("never widen it"), r.getMessage());
    Window weekdaysContract = new Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    RuleRefusal days = assertThrows(RuleRefusal.class, () -> SendWindow.narrow(weekdaysContract, Window.daily(LocalTime.of(9, 0), LocalTime.of(17, 0))));
    assertTrue(days.getMessage().contains("it sends on sat, sun"), days.getMessage());
  }

  @Test
  void aWindowThatNeverOpensIsRefusedNotLoopedOn() {
    Window sundays = new Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), EnumSet.of(DayOfWeek.SUNDAY));
    List<LocalDate> everySunday = new java.util.ArrayList<>();
    for (LocalDate d = LocalDate.of(2026, 10, 18); d.isBefore(LocalDate.of(2030, 1, 1)); d = d.plusWeeks(1)) {
      everySunday.add(d);
    }
    SendWindow w = new SendWindow(sundays, NY, HolidayCalendar.extraOnly(everySunday));
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> w.shift(at("2026-10-14T12:00:00Z")));
    assertTrue(r.getMessage().contains("does not open"), r.getMessage());
  }
}
