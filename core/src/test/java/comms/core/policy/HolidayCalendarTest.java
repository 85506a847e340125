package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import comms.core.contract.Source;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HolidayCalendarTest {
  static final HolidayCalendar US = HolidayCalendar.of("US", null, List.of());

  @Test
  void usFederalHolidays() {
    assertEquals(Optional.of("Thanksgiving Day"), US.holiday(LocalDate.of(2026, 11, 26)));
    assertTrue(US.isHoliday(LocalDate.of(2026, 12, 25)), "Christmas");
    assertFalse(US.isHoliday(LocalDate.of(2026, 11, 25)), "the day before Thanksgiving");
    assertFalse(US.isHoliday(LocalDate.of(2026, 11, 27)), "the day after Thanksgiving");
  }

  @Test
  void aHolidayOnASaturdayClosesBothTheDayAndTheFridayItIsObservedOn() {
    assertTrue(US.isHoliday(LocalDate.of(2026, 7, 4)), "Independence Day itself");
    assertTrue(US.isHoliday(LocalDate.of(2026, 7, 3)), "observed on Friday");
  }

  @Test
  void aUsStateHoliday() {
    LocalDate cesarChavezDay = LocalDate.of(2026, 3, 31);
    assertFalse(US.isHoliday(cesarChavezDay));
    assertEquals(Optional.of("César Chávez's Birthday"), HolidayCalendar.of("US", "CA", List.of()).holiday(cesarChavezDay));
    LocalDate lincolnsBirthday = LocalDate.of(2026, 2, 12);
    assertTrue(HolidayCalendar.of("US", "ct", List.of()).isHoliday(lincolnsBirthday), "a public holiday in Connecticut");
    // jollyday lists it for New York as an observance only: observances do not close the window.
    assertFalse(HolidayCalendar.of("US", "NY", List.of()).isHoliday(lincolnsBirthday));
  }

  @Test
  void aSubdivisionCanBeWrittenThreeWays() {
    assertEquals("US-NY", HolidayCalendar.of("US-NY", null, List.of()).id());
    assertEquals("US-NY", HolidayCalendar.of("us", "ny", List.of()).id());
    assertEquals("US-NY", HolidayCalendar.of("US", "US-NY", List.of()).id());
    RuleRefusal twice = assertThrows(RuleRefusal.class, () -> HolidayCalendar.of("US-NY", "NY", List.of()));
    assertTrue(twice.getMessage().contains("give it once"), twice.getMessage());
  }

  @Test
  void germanyAndBavaria() {
    HolidayCalendar de = HolidayCalendar.of("DE", null, List.of());
    HolidayCalendar by = HolidayCalendar.of("DE", "BY", List.of());
    LocalDate epiphany = LocalDate.of(2026, 1, 6);
    LocalDate corpusChristi = LocalDate.of(2026, 6, 4);
    assertFalse(de.isHoliday(epiphany));
    assertTrue(by.isHoliday(epiphany));
    assertTrue(by.isHoliday(corpusChristi));
    assertTrue(de.isHoliday(LocalDate.of(2026, 10, 3)), "German Unity Day");
    assertEquals("DE-BY", by.id());
  }

  @Test
  void extraDatesOfTheSequence() {
    LocalDate companyDay = LocalDate.of(2026, 8, 14);
    assertFalse(US.isHoliday(companyDay));
    assertTrue(HolidayCalendar.of("US", null, List.of(companyDay)).isHoliday(companyDay));
    HolidayCalendar only = HolidayCalendar.extraOnly(List.of(companyDay));
    assertTrue(only.isHoliday(companyDay));
    assertFalse(only.isHoliday(LocalDate.of(2026, 12, 25)), "no country, no Christmas");
    assertEquals("none", only.id());
  }

  @Test
  void anUnknownCountryIsRefusedSayingHowToWriteOne() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> HolidayCalendar.of("XX", null, List.of()));
    assertEquals(ExitCode.CONTRACT, r.exitCode());
    assertEquals("holiday_calendar", r.rule());
    assertTrue(r.getMessage().contains("'XX' is not one comms knows"), r.getMessage());
    assertTrue(r.getMessage().contains("ISO 3166") && r.getMessage().contains("US-NY") && r.getMessage().contains("DE, "), r.getMessage());
  }

  @Test
  void anUnknownSubdivisionIsRefusedListingTheKnownOnes() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> HolidayCalendar.of("US", "ZZ", List.of()));
    assertTrue(r.getMessage().contains("US has no subdivision 'ZZ'"), r.getMessage());
    assertTrue(r.getMessage().contains("NY (New York)") && r.getMessage().contains("CA (California)"), r.getMessage());
  }

  @Test
  void aRefusalFromAFileNamesWhereItWasWritten() {
    Source at = new Source("welcome.sequence.yaml", 7, 3, "holidays");
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> HolidayCalendar.of(new SequencesContract.Holidays(at, "US", "QQ"), List.of()));
    assertTrue(r.getMessage().startsWith("welcome.sequence.yaml:7:3 (holidays): "), r.getMessage());
  }
}
