package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.SequencesContract;
import comms.core.contract.Source;
import comms.core.sequence.SequenceRules;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequencePolicyTest {
  static final SequencePolicy POLICY = SequencePolicy.from(Fixtures.contract());

  @Test
  void everyRuleHasItsOwnNameAndCitesSomething() {
    Set<String> names = new HashSet<>();
    for (PolicyRule r : POLICY.rules()) {
      assertTrue(r.name().matches("[a-z][a-z0-9_]*"), r.name());
      assertTrue(names.add(r.name()), "twice: " + r.name());
      assertFalse(r.cites().isBlank(), r.name());
    }
    assertEquals(Set.of("sequence_name", "stage_count", "stage_delay", "stage_trigger", "recipient_batch", "recipient_count_approval", "send_window", "holiday_calendar"), names);
  }

  @Test
  void theSampleContractGivesTheRulesTheSequenceServiceUsesToday() {
    SequenceRules r = POLICY.sequenceRules();
    SequenceRules d = SequenceRules.DEFAULTS;
    assertEquals(d.maxStages(), r.maxStages());
    assertEquals(d.maxRecipientsPerCall(), r.maxRecipientsPerCall());
    assertEquals(d.windowStart(), r.windowStart());
    assertEquals(d.windowEnd(), r.windowEnd());
    assertEquals(d.tiers(), r.tiers());
    assertEquals(d.approvalValidity(), r.approvalValidity());
    for (int n : new int[] {1, 50, 51, 500, 501, 1000, 1001}) {
      assertEquals(d.approvalFor(n), r.approvalFor(n));
    }
  }

  @Test
  void aSequenceWithoutItsOwnCalendarOrWindowGetsTheContracts() {
    HolidayCalendar cal = POLICY.holidays(null, List.of());
    assertEquals("US", cal.id());
    SendWindow w = POLICY.window(null, ZoneId.of("America/New_York"), cal);
    assertEquals(POLICY.contract().sendWindow(), w.window());
  }

  @Test
  void aSequenceWindowFromAFileThatWidensIsRefusedAtItsLine() {
    SequencesContract.Window wide = new SequencesContract.Window(new Source("s.yaml", 4, 3, "window"), LocalTime.of(6, 0), LocalTime.of(20, 0), Set.of(java.time.DayOfWeek.MONDAY));
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> POLICY.window(wide, ZoneId.of("UTC"), HolidayCalendar.extraOnly(List.of(LocalDate.of(2026, 1, 1)))));
    assertTrue(r.getMessage().startsWith("s.yaml:4:3 (window): "), r.getMessage());
  }
}
