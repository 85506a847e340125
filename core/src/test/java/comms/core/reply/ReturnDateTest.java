package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The return dates an out-of-office states, in the English forms people write them. */
class ReturnDateTest {
  static final Instant MONDAY = Instant.parse("2026-12-07T15:00:00Z");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "I will be back on Monday, December 14.|2026-12-14",
        "Back in the office on Tuesday, Dec. 15, 2026|2026-12-15",
        "I am out until Dec 14th.|2026-12-14",
        "Returning 14 December 2026.|2026-12-14",
        "I'll return on the 16th of December|2026-12-16",
        "on leave through Friday, December 11|2026-12-12",
        "away thru 12/11|2026-12-12",
        "away until 12/18/2026 and will reply then|2026-12-18",
        "Back 2026-12-28.|2026-12-28",
        "I return to the office on January 4th, 2027|2027-01-04",
        "out until Jan 4 (no year: the next January 4)|2027-01-04",
        "back on 12/21/26|2026-12-21",
      })
  void readsTheDay(String text, String expected) {
    assertEquals(Optional.of(LocalDate.parse(expected)), ReturnDate.read(text, MONDAY));
  }

  @ParameterizedTest(name = "{0} -> none")
  @CsvSource(
      delimiter = '|',
      value = {
        "I am out of the office and will answer soon.",
        // In the past: a stale responder nobody updated.
        "I was back on 2026-11-30 but forgot this message.",
        // Too far ahead to trust.
        "I am away until 2028-01-01.",
        // A date with no word that says it is the return.
        "Your order of December 20 is confirmed.",
        "back on 02/30/2027",
      })
  void readsNothingWhereNoReturnDayIsStated(String text) {
    assertEquals(Optional.empty(), ReturnDate.read(text, MONDAY));
  }
}
