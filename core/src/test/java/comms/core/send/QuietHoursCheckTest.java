package comms.core.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.PolicyContract.QuietHours;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quiet hours in the recipient's zones, across midnight and across several zones. */
class QuietHoursCheckTest {
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
  static final QuietHours NIGHT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), CHICAGO, List.of("sms"));

  @Test
  void daytimeIsOutside() {
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-23T18:00:00Z"), List.of(CHICAGO), "test");
    assertFalse(q.inside());
    assertNull(q.nextAllowedAt());
    assertEquals(Gate.Result.pass, q.gate().result());
    assertTrue(q.gate().reason().contains("12:00 in America/Chicago"), q.gate()::reason);
  }

  @Test
  void lateEveningIsInsideUntilEightNextMorning() {
    // 22:00 CST on the 22nd
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-23T04:00:00Z"), List.of(CHICAGO), "test");
    assertTrue(q.inside());
    assertEquals(Instant.parse("2026-11-23T14:00:00Z"), q.nextAllowedAt());
    assertEquals(Gate.Result.warn, q.gate().result());
    assertTrue(q.gate().reason().contains("2026-11-23T14:00:00Z"), q.gate()::reason);
  }

  @Test
  void earlyMorningIsInsideUntilEightTheSameMorning() {
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-23T12:59:00Z"), List.of(CHICAGO), "test");
    assertTrue(q.inside());
    assertEquals(Instant.parse("2026-11-23T14:00:00Z"), q.nextAllowedAt());
  }

  @Test
  void edgesStartInsideEndOutside() {
    assertTrue(QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-24T03:00:00Z"), List.of(CHICAGO), "t").inside());
    assertFalse(QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-23T14:00:00Z"), List.of(CHICAGO), "t").inside());
  }

  @Test
  void everyZoneMustBeOutside() {
    // 08:30 in New York but 05:30 in Los Angeles: wait for 08:00 in Los Angeles.
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-23T13:30:00Z"), List.of(NEW_YORK, LOS_ANGELES), "test");
    assertTrue(q.inside());
    assertEquals(Instant.parse("2026-11-23T16:00:00Z"), q.nextAllowedAt());
    assertTrue(q.gate().reason().contains("America/Los_Angeles"), q.gate()::reason);
    assertFalse(q.gate().reason().contains("America/New_York"), q.gate()::reason);
  }

  @Test
  void nextAllowedIsTheFirstMomentAllZonesShare() {
    // 21:30 in New York (inside), 18:30 in Los Angeles. New York opens 13:00Z when LA is still at 05:00.
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-11-24T02:30:00Z"), List.of(NEW_YORK, LOS_ANGELES), "test");
    assertEquals(Instant.parse("2026-11-24T16:00:00Z"), q.nextAllowedAt());
  }

  @Test
  void zonesThatNeverShareAMomentOutsideFail() {
    QuietHours longNight = new QuietHours(LocalTime.of(18, 0), LocalTime.of(9, 0), CHICAGO, List.of("sms"));
    QuietHoursCheck q =
        QuietHoursCheck.judge(longNight, Instant.parse("2026-11-23T18:00:00Z"), List.of(CHICAGO, ZoneId.of("Asia/Tokyo")), "test");
    assertTrue(q.never());
    assertEquals(Gate.Result.fail, q.gate().result());
  }

  @Test
  void daytimeWindowDoesNotWrap() {
    QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0), CHICAGO, List.of("sms"));
    QuietHoursCheck q = QuietHoursCheck.judge(lunch, Instant.parse("2026-11-23T18:30:00Z"), List.of(CHICAGO), "t");
    assertTrue(q.inside());
    assertEquals(Instant.parse("2026-11-23T19:00:00Z"), q.nextAllowedAt());
    assertFalse(QuietHoursCheck.judge(lunch, Instant.parse("2026-11-23T04:00:00Z"), List.of(CHICAGO), "t").inside());
  }
}
