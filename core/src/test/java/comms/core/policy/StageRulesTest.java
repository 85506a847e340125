package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.policy.StageTrigger.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StageRulesTest {
  static final SequencePolicy POLICY = SequencePolicy.from(Fixtures.contract());

  @Test
  void theThreeTriggersParse() {
    assertEquals(Kind.ALWAYS, POLICY.triggers().parse("always"));
    assertEquals(Kind.NO_REPLY, POLICY.triggers().parse(" no_reply "));
    assertEquals(Kind.NO_ENGAGEMENT, POLICY.triggers().parse("no_engagement"));
    assertEquals("no_engagement", Kind.NO_ENGAGEMENT.wire());
  }

  @Test
  void openedIsRefusedExplainingWhyOpensAreNotASignal() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> POLICY.triggers().parse("opened"));
    assertEquals(ExitCode.CONTRACT, r.exitCode());
    assertEquals("stage_trigger", r.rule());
    assertTrue(r.getMessage().contains("opens are not a trustworthy signal"), r.getMessage());
    assertTrue(r.getMessage().contains("Apple Mail Privacy Protection") && r.getMessage().contains("Google's image proxy"), r.getMessage());
    assertTrue(r.getMessage().contains("Use one of always, no_reply, no_engagement"), r.getMessage());
    assertTrue(assertThrows(RuleRefusal.class, () -> POLICY.triggers().parse("Opened")).getMessage().contains("not a trustworthy signal"));
  }

  @Test
  void anyOtherTriggerIsRefusedListingTheAllowedOnes() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> POLICY.triggers().parse("clicked"));
    assertTrue(r.getMessage().contains("trigger 'clicked' is not known; use one of always, no_reply, no_engagement"), r.getMessage());
    assertTrue(assertThrows(RuleRefusal.class, () -> POLICY.triggers().parse(" ")).getMessage().contains("a stage needs a trigger"));
  }

  @Test
  void aTriggerTheContractLeavesOutIsRefusedAsNotAllowed() throws Exception {
    SequencePolicy p = SequencePolicy.from(Fixtures.edited("allowed: [always, no_reply, no_engagement]", "allowed: [always]"));
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> p.triggers().parse("no_reply"));
    assertTrue(r.getMessage().contains("not allowed by communications.sequences.contract.yaml; use one of always"), r.getMessage());
  }

  @Test
  void delays() {
    StageDelay d = POLICY.delays();
    assertEquals(Duration.ofDays(3), d.parse("3d"));
    assertEquals(Duration.ofHours(4), d.parse("4h"));
    assertEquals(Duration.ofMinutes(30), d.parse("30m"));
    assertEquals(Duration.ZERO, d.parse("0"));
    assertEquals(Duration.ofHours(36), d.parse("1d12h"));
    assertEquals(Duration.ofDays(90), d.parse("90d"));
    assertEquals("1d12h", StageDelay.format(Duration.ofHours(36)));
    assertEquals("0", StageDelay.format(Duration.ZERO));
    assertEquals("2h30m", StageDelay.format(d.parse("2h30m")));
  }

  @Test
  void badDelaysAreRefusedWithASentence() {
    StageDelay d = POLICY.delays();
    RuleRefusal negative = assertThrows(RuleRefusal.class, () -> d.parse("-3d"));
    assertEquals(ExitCode.CONTRACT, negative.exitCode());
    assertTrue(negative.getMessage().contains("is negative"), negative.getMessage());
    for (String bad : new String[] {"3w", "5s", "3 days", "12h1d", "d", "1.5d"}) {
      RuleRefusal r = assertThrows(RuleRefusal.class, () -> d.parse(bad), bad);
      assertTrue(r.getMessage().contains("d (days), h (hours) and m (minutes)"), r.getMessage());
    }
    RuleRefusal absurd = assertThrows(RuleRefusal.class, () -> d.parse("91d"));
    assertTrue(absurd.getMessage().contains("longer than the 90 days a stage may wait"), absurd.getMessage());
    assertTrue(assertThrows(RuleRefusal.class, () -> d.parse("9999999d")).getMessage().contains("longer than"));
    assertTrue(assertThrows(RuleRefusal.class, () -> d.parse("2161h")).getMessage().contains("longer than"));
  }

  @Test
  void sequenceNames() {
    assertEquals("Welcome", POLICY.names().check(" Welcome "));
    RuleRefusal copy = assertThrows(RuleRefusal.class, () -> POLICY.names().check("Welcome (Copy)"));
    assertEquals(ExitCode.CONTRACT, copy.exitCode());
    assertEquals("sequence_name", copy.rule());
    assertTrue(copy.getMessage().contains("'Welcome (Copy)' is refused: a name with (Copy) is an unreviewed duplicate"), copy.getMessage());
    assertThrows(RuleRefusal.class, () -> POLICY.names().check("Welcome (copy) 2"));
    assertEquals("Welcome Copy", POLICY.names().check("Welcome Copy"));
    assertTrue(assertThrows(RuleRefusal.class, () -> POLICY.names().check("")).getMessage().contains("needs a name"));
  }

  @Test
  void stageCountAndBatchLimits() {
    POLICY.stages().check(5);
    RuleRefusal six = assertThrows(RuleRefusal.class, () -> POLICY.stages().check(6));
    assertEquals(ExitCode.CONTRACT, six.exitCode());
    assertTrue(six.getMessage().contains("6 stages; a sequence has 1 to 5"), six.getMessage());
    assertThrows(RuleRefusal.class, () -> POLICY.stages().check(0));
    POLICY.batches().check(2000);
    RuleRefusal big = assertThrows(RuleRefusal.class, () -> POLICY.batches().check(2001));
    assertEquals(ExitCode.USAGE, big.exitCode());
    assertTrue(big.getMessage().contains("2001 recipient rows; one call adds at most 2000") && big.getMessage().contains("nothing was added"), big.getMessage());
  }
}
