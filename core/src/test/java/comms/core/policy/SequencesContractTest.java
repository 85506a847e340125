package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.ContractException;
import comms.core.contract.SequencesContract;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencesContractTest {
  @Test
  void theSampleGivesTheOutboundContractsDefaults() {
    SequencesContract c = Fixtures.contract();
    assertEquals(LocalTime.of(8, 0), c.sendWindow().start());
    assertEquals(LocalTime.of(20, 0), c.sendWindow().end());
    assertEquals(EnumSet.allOf(DayOfWeek.class), c.sendWindow().days());
    assertEquals("US", c.holidays().country());
    assertNull(c.holidays().subdivision());
    assertEquals(5, c.limits().maxStages());
    assertEquals(2000, c.limits().maxRecipientsPerCall());
    assertEquals(90, c.limits().maxStageDelayDays());
    assertEquals(Duration.ofHours(24), c.approvals().validity());
    assertEquals(List.of("1–50", "51–500", "501–1000", "1001+"), c.approvals().tiers().stream().map(SequencesContract.Tier::range).toList());
    assertEquals(2, c.approvals().tiers().get(2).reviewers());
    assertEquals(7, c.outOfOfficePauseDays());
    assertEquals(Duration.ofMinutes(10), c.watchMaxAge());
    assertEquals(List.of("always", "no_reply", "no_engagement"), c.triggers().allowed());
    assertTrue(c.triggers().refused().get("opened").contains("Apple Mail Privacy Protection"));
  }

  @Test
  void weekdaysOnlyWindow() throws Exception {
    SequencesContract c = Fixtures.edited("days: [mon, tue, wed, thu, fri, sat, sun]", "days: [mon, tue, wed, thu, fri]");
    assertEquals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), c.sendWindow().days());
  }

  @Test
  void aGapBetweenTiersIsRefusedAtTheTiersLine() throws Exception {
    ContractException e =
        assertThrows(ContractException.class, () -> Fixtures.edited("{ min: 51, max: 500, kind: confirm }", "{ min: 60, max: 500, kind: confirm }"));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertEquals(29, e.source().line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(SequencesContract.FILE + ":29:7"), e.getMessage());
    assertTrue(e.getMessage().contains("leaves 51–59 uncovered") && e.getMessage().contains("start it at min: 51"), e.getMessage());
  }

  @Test
  void overlappingTiersAndACappedLastTierAreRefused() throws Exception {
    ContractException overlap =
        assertThrows(ContractException.class, () -> Fixtures.edited("{ min: 501, max: 1000, kind: multipov", "{ min: 400, max: 1000, kind: multipov"));
    assertTrue(overlap.getMessage().contains(":30:7") && overlap.getMessage().contains("overlaps the tier before it"), overlap.getMessage());
    ContractException capped = assertThrows(ContractException.class, () -> Fixtures.edited("{ min: 1001, kind: token }", "{ min: 1001, max: 9999, kind: token }"));
    assertTrue(capped.getMessage().contains(":31:7") && capped.getMessage().contains("10000 recipients or more have no gate"), capped.getMessage());
  }

  @Test
  void aWindowThatEndsBeforeItStartsIsRefusedAtItsEnd() throws Exception {
    ContractException e = assertThrows(ContractException.class, () -> Fixtures.edited("end: \"20:00\"", "end: \"07:30\""));
    assertTrue(e.getMessage().startsWith(SequencesContract.FILE + ":10:"), e.getMessage());
    assertTrue(e.getMessage().contains("may not wrap midnight"), e.getMessage());
  }

  @Test
  void openedCannotBeAllowed() throws Exception {
    ContractException e = assertThrows(ContractException.class, () -> Fixtures.edited("allowed: [always, no_reply, no_engagement]", "allowed: [always, opened]"));
    assertTrue(e.getMessage().contains("trigger 'opened' cannot be allowed"), e.getMessage());
  }
}
