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
  static final ZoneId LONDON = ZoneId.of("Europe/London");
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
    // The gate that defers says so: fail (the preview's verdict is deferred, not blocked).
    assertEquals(Gate.Result.fail, q.gate().result());
    assertTrue(q.gate().reason().contains("deferred, next allowed at 2026-11-23T14:00:00Z"), q.gate()::reason);
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

  // --- daylight saving time: 2026-03-08 02:00 EST -> 03:00 EDT in New York; 2026-11-01 02:00 EDT -> 01:00 EST;
  // 2026-03-29 01:00 GMT -> 02:00 BST in London.

  @Test
  void quietHoursEndingInsideTheSpringForwardGapEndWhenTheClocksJump() {
    QuietHours untilHalfPastTwo = new QuietHours(LocalTime.of(21, 0), LocalTime.of(2, 30), NEW_YORK, List.of("sms"));
    // 00:30 EST: inside. 02:30 never happens that night; at 03:00 EDT (07:00Z) it is past 02:30.
    QuietHoursCheck q = QuietHoursCheck.judge(untilHalfPastTwo, Instant.parse("2026-03-08T05:30:00Z"), List.of(NEW_YORK), "t");
    assertTrue(q.inside());
    assertEquals(Instant.parse("2026-03-08T07:00:00Z"), q.nextAllowedAt());
    assertFalse(QuietHoursCheck.judge(untilHalfPastTwo, Instant.parse("2026-03-08T07:00:00Z"), List.of(NEW_YORK), "t").inside());
    assertTrue(QuietHoursCheck.judge(untilHalfPastTwo, Instant.parse("2026-03-08T06:59:59Z"), List.of(NEW_YORK), "t").inside());
  }

  @Test
  void aWindowEndingInLondonsGapEndsAtTheJump() {
    QuietHours untilOneThirty = new QuietHours(LocalTime.of(22, 0), LocalTime.of(1, 30), LONDON, List.of("sms"));
    QuietHoursCheck q = QuietHoursCheck.judge(untilOneThirty, Instant.parse("2026-03-29T00:15:00Z"), List.of(LONDON), "t");
    assertEquals(Instant.parse("2026-03-29T01:00:00Z"), q.nextAllowedAt());
  }

  @Test
  void aWindowEndingAtTheStartOfTheGapEndsAtTheJump() {
    QuietHours untilTwo = new QuietHours(LocalTime.of(21, 0), LocalTime.of(2, 0), NEW_YORK, List.of("sms"));
    QuietHoursCheck q = QuietHoursCheck.judge(untilTwo, Instant.parse("2026-03-08T05:30:00Z"), List.of(NEW_YORK), "t");
    assertEquals(Instant.parse("2026-03-08T07:00:00Z"), q.nextAllowedAt());
  }

  @Test
  void aWindowEndingInTheFallBackOverlapEndsAtItsFirstOccurrence() {
    QuietHours untilOneThirty = new QuietHours(LocalTime.of(21, 0), LocalTime.of(1, 30), NEW_YORK, List.of("sms"));
    // 00:30 EDT; 01:30 EDT (05:30Z) comes first, an hour before 01:30 EST.
    QuietHoursCheck q = QuietHoursCheck.judge(untilOneThirty, Instant.parse("2026-11-01T04:30:00Z"), List.of(NEW_YORK), "t");
    assertEquals(Instant.parse("2026-11-01T05:30:00Z"), q.nextAllowedAt());
  }

  @Test
  void eightInTheMorningAfterSpringForwardIsEightLocal() {
    // 22:00 EST on the 7th; 08:00 EDT on the 8th is 12:00Z, not 13:00Z.
    QuietHoursCheck q = QuietHoursCheck.judge(NIGHT, Instant.parse("2026-03-08T03:00:00Z"), List.of(NEW_YORK), "t");
    assertEquals(Instant.parse("2026-03-08T12:00:00Z"), q.nextAllowedAt());
  }
}
