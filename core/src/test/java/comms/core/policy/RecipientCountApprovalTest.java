package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.approval.Approvals;
import comms.core.policy.RecipientCountApproval.Citation;
import comms.core.policy.RecipientCountApproval.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecipientCountApprovalTest {
  static final RecipientCountApproval RULE = new RecipientCountApproval(Fixtures.contract().approvals());
  static final Instant GIVEN = Instant.parse("2026-10-14T15:00:00Z");

  @Test
  void theTierBoundaries() {
    assertEquals(Kind.NONE, RULE.required(1));
    assertEquals(Kind.NONE, RULE.required(50));
    assertEquals(Kind.CONFIRM, RULE.required(51));
    assertEquals(Kind.CONFIRM, RULE.required(500));
    assertEquals(Kind.MULTIPOV, RULE.required(501));
    assertEquals(Kind.MULTIPOV, RULE.required(1000));
    assertEquals(Kind.TOKEN, RULE.required(1001));
    assertEquals(Kind.TOKEN, RULE.required(1_000_000));
    assertEquals(2, RULE.reviewers(700));
    assertEquals(0, RULE.reviewers(70));
  }

  @Test
  void theTiersComeFromTheContract() throws Exception {
    RecipientCountApproval stricter =
        new RecipientCountApproval(Fixtures.edited("{ min: 1, max: 50, kind: none }\n    - { min: 51,", "{ min: 1, max: 10, kind: none }\n    - { min: 11,").approvals());
    assertEquals(Kind.CONFIRM, stricter.required(11));
  }

  @Test
  void noApprovalNeededUpTo50() {
    assertEquals(Optional.empty(), RULE.check(50, null));
  }

  @Test
  void aMissingApprovalSaysWhichGateAppliesAndHowToSatisfyIt() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> RULE.check(120, null));
    assertEquals(ExitCode.POLICY, r.exitCode());
    assertEquals("recipient_count_approval", r.rule());
    assertTrue(
        r.getMessage().contains("51–500 recipients need `--approval confirm:<approver_email>` citing an `approval.confirm` by an operator other than the owner"),
        r.getMessage());
  }

  @Test
  void theRightKindParses() {
    assertEquals(Optional.of(new Citation(Kind.CONFIRM, "sam@lakesideprint.com")), RULE.check(120, "confirm: Sam@LakesidePrint.com "));
    assertEquals(Optional.of(new Citation(Kind.MULTIPOV, "rev_3f9a1c")), RULE.check(600, "multipov:rev_3f9a1c"));
    assertEquals(Kind.TOKEN, RULE.check(1500, "token:apt_0123456789abcdefABCDEF").orElseThrow().kind());
  }

  @Test
  void theWrongKindForTheTierIsRefused() {
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> RULE.check(700, "confirm:sam@lakesideprint.com"));
    assertEquals(ExitCode.POLICY, r.exitCode());
    assertTrue(r.getMessage().contains("700 recipients need approval multipov, not confirm"), r.getMessage());
    assertTrue(r.getMessage().contains("501–1000 recipients need `--approval multipov:<review_id>`") && r.getMessage().contains("2 operators"), r.getMessage());
  }

  @Test
  void malformedCitationsAreUsageErrors() {
    RuleRefusal email = assertThrows(RuleRefusal.class, () -> RULE.check(120, "confirm:sam"));
    assertEquals(ExitCode.USAGE, email.exitCode());
    assertTrue(email.getMessage().contains("needs the approving operator's email address"), email.getMessage());
    RuleRefusal kind = assertThrows(RuleRefusal.class, () -> RULE.check(120, "approve:sam@lakesideprint.com"));
    assertTrue(kind.getMessage().contains("KIND one of confirm, multipov or token") && kind.getMessage().contains("'approve'"), kind.getMessage());
    assertEquals(ExitCode.USAGE, assertThrows(RuleRefusal.class, () -> RULE.check(600, "multipov:")).exitCode());
  }

  @Test
  void aMalformedTokenIsNeverEchoed() {
    String secretish = "apt_short secret";
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> RULE.check(1500, "token:" + secretish));
    assertFalse(r.getMessage().contains("secret"), r.getMessage());
    assertFalse(RULE.parse("token:apt_0123456789abcdefABCDEF").toString().contains("0123"));
  }

  @Test
  void anApprovalExpiresAfterTheContractsValidity() {
    assertEquals(GIVEN.plus(Duration.ofHours(24)), RULE.expiresAt(GIVEN));
    assertFalse(RULE.expired(GIVEN, Clock.fixed(GIVEN.plus(Duration.ofHours(24)).minusSeconds(1), ZoneOffset.UTC)));
    assertTrue(RULE.expired(GIVEN, Clock.fixed(GIVEN.plus(Duration.ofHours(24)), ZoneOffset.UTC)));
  }

  @Test
  void anExpiredApprovalIsRefusedSayingHowToAskAgain() {
    RecipientSetHash set = RecipientSetHash.of("seq_1", List.of("a@x.com"));
    Citation c = RULE.parse("confirm:sam@lakesideprint.com");
    Clock later = Clock.fixed(GIVEN.plus(Duration.ofHours(25)), ZoneOffset.UTC);
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> RULE.checkHolds(c, 120, GIVEN, set, set, later));
    assertEquals(ExitCode.POLICY, r.exitCode());
    assertTrue(r.getMessage().contains("expired at 2026-10-15T15:00:00Z") && r.getMessage().contains("stays as it is. Ask again"), r.getMessage());
    RULE.checkHolds(c, 120, GIVEN, set, set, Clock.fixed(GIVEN.plus(Duration.ofHours(23)), ZoneOffset.UTC));
  }

  @Test
  void anApprovalForAnotherRecipientSetIsRefused() {
    RecipientSetHash approved = RecipientSetHash.of("seq_1", List.of("a@x.com", "b@x.com"));
    RecipientSetHash now = RecipientSetHash.of("seq_1", List.of("a@x.com", "b@x.com", "c@x.com"));
    Clock soon = Clock.fixed(GIVEN.plusSeconds(60), ZoneOffset.UTC);
    RuleRefusal r = assertThrows(RuleRefusal.class, () -> RULE.checkHolds(RULE.parse("multipov:rev_abc"), 600, GIVEN, approved, now, soon));
    assertTrue(r.getMessage().contains("another recipient set (2 recipients; now 3)"), r.getMessage());
  }

  @Test
  void theRecipientSetHashIgnoresOrderAndSpellingButNotMembersOrTheSequence() {
    RecipientSetHash h = RecipientSetHash.of("seq_1", List.of("Ana@Example.com ", "+1 (555) 123-4567"));
    assertEquals(h, RecipientSetHash.of("seq_1", List.of("+15551234567", "ana@example.com")));
    assertEquals(h, RecipientSetHash.of("seq_1", List.of("+15551234567", "ana@example.com", "ANA@example.com")));
    assertEquals(2, h.recipients());
    assertNotEquals(h, RecipientSetHash.of("seq_1", List.of("+15551234567", "ana@example.com", "bo@example.com")));
    assertNotEquals(h, RecipientSetHash.of("seq_2", List.of("+15551234567", "ana@example.com")));
  }

  @Test
  void theRecipientSetHashIsTheOneApprovalsAreStoredUnder() {
    List<String> set = List.of("b@x.com", "A@x.com", "+15551234567");
    assertEquals(Approvals.recipientSetHash("seq_1", set), RecipientSetHash.of("seq_1", set).hex());
  }
}
