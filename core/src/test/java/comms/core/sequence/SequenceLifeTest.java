package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.approval.Approvals;
import comms.core.contract.Bindings;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.store.EnrollmentStore;
import comms.core.store.Roster;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sequence from draft to completed in core alone: enrollment checks, approval by count, versioned changes, the worker over weeks. */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class SequenceLifeTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = SequenceFixture.BINDINGS;
  static final Instant MONDAY_10_NY = SequenceFixture.MONDAY_10_NY;
  static final String DANA = SequenceFixture.DANA;
  static final String SAM = SequenceFixture.SAM;

  @TempDir Path outbox;
  SequenceFixture f;

  @BeforeEach
  void open() {
    f = new SequenceFixture(outbox, backend);
  }

  @AfterEach
  void close() {
    f.close();
  }

  static SequencePlan plan() {
    return new SequencePlan(
        ZoneId.of("America/New_York"), LocalTime.of(8, 0), LocalTime.of(20, 0), "US", null, List.of(),
        List.of(
            new SequencePlan.StagePlan("email", Duration.ZERO, "always", "payment_needed.email", "payment_needed"),
            new SequencePlan.StagePlan("email", Duration.ofDays(3), "no_reply", "order_ready.email", "order_ready"),
            new SequencePlan.StagePlan("sms", Duration.ofDays(4), "no_engagement", "proof_ready.sms", "proof_ready")));
  }

  static Enrollment.RecipientInput row(int line, String email, String phone) {
    Map<String, String> v = new HashMap<>();
    for (String k : List.of("customer_name", "order_number", "balance_amount", "payment_link", "pickup_window", "proof_link")) {
      v.put(k, k.equals("payment_link") || k.equals("proof_link") ? "https://example.com/x" : "v");
    }
    return new Enrollment.RecipientInput(line, email, phone, null, v);
  }

  SequenceRow draft() {
    return f.service().create(f.as(DANA), new SequenceService.Draft("Welcome", null, plan()), f.audit(DANA));
  }

  @Test
  void enrollmentAnswersEveryRejectionWithItsReason() {
    SequenceRow seq = draft();
    f.store.addSuppression("domain", "blocked.com", "do not contact", MONDAY_10_NY);
    f.store.addSuppression("address", "gone@example.com", "asked", MONDAY_10_NY);
    f.store.recordConsent("email", "out@example.com", "opted-out", "test", MONDAY_10_NY);
    Enrollment.RecipientInput missing = new Enrollment.RecipientInput(9, "lack@example.com", null, null, Map.of("customer_name", "x"));
    Enrollment.Result r =
        f.enrollment().add(f.as(DANA), seq,
            List.of(row(2, "ok@example.com", "+13125550142"), row(3, "a@@example.com", null), row(4, "nodot@example", null),
                row(5, "x@sub.blocked.com", null), row(6, "gone@example.com", null), row(7, "out@example.com", null),
                row(8, "OK@Example.com", null), missing, new Enrollment.RecipientInput(10, null, null, null, Map.of())),
            null, true, false, f.audit(DANA));
    assertEquals(List.of("ok@example.com"), r.accepted().stream().map(Enrollment.Accepted::email).toList());
    assertEquals(
        List.of("invalid:double_at", "invalid:no_tld", "suppressed:domain", "suppressed:address", "opted_out", "duplicate:line_2",
            "missing_variable:order_number", "invalid:no_address"),
        r.rejected().stream().map(Enrollment.Rejected::reason).toList());
    SequenceRow other = f.service().create(f.as(DANA), new SequenceService.Draft("Second", null, plan()), f.audit(DANA));
    Enrollment.Result again = f.enrollment().add(f.as(DANA), other, List.of(row(2, "ok@example.com", null)), null, true, false, f.audit(DANA));
    assertEquals("already_active:" + seq.id(), again.rejected().get(0).reason());
  }

  @Test
  void moreThanTheLimitInOneCallIsRefusedWholeAndAddsNothing() {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 2001; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    CommsException e = assertThrows(CommsException.class, () -> f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA)));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("2001"), e.getMessage());
    assertEquals(0, EnrollmentStore.of(f.store).inSequence(seq.id()).size());
    assertEquals(2000, f.enrollment().add(f.as(DANA), seq, rows.subList(0, 2000), null, false, false, f.audit(DANA)).accepted().size());
  }

  @Test
  void aStaleStateVersionChangesNothing() {
    SequenceRow seq = draft();
    f.enrollment().add(f.as(DANA), seq, List.of(row(2, "ok@example.com", null)), null, true, false, f.audit(DANA));
    SequenceRow launched = f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    assertEquals(2, launched.stateVersion());
    CommsException e = assertThrows(CommsException.class, () -> f.service().pause(f.as(DANA), seq.id(), 1, f.audit(DANA)));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("--state-version 2"), e.getMessage());
    assertEquals("active", SequenceStore.of(f.store).find(seq.id()).orElseThrow().state());
  }

  @Test
  void anotherOperatorCannotTouchTheSequence() {
    SequenceRow seq = draft();
    CommsException e = assertThrows(CommsException.class, () -> f.service().pause(f.as(SAM), seq.id(), 1, f.audit(SAM)));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    CommsException own = assertThrows(CommsException.class, () -> f.approvals().confirm(f.as(DANA), seq, "x", f.audit(DANA)));
    assertTrue(own.getMessage().contains("cannot confirm their own"), own.getMessage());
  }

  @Test
  void fiftyOneRecipientsNeedAConfirmationBoundToTheSetAndValidADay() {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    CommsException none = assertThrows(CommsException.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA)));
    assertEquals(ExitCode.POLICY, none.exitCode());
    assertTrue(none.getMessage().contains("51 recipients need approval confirm and none was given: 51–500 recipients need `--approval confirm:"), none.getMessage());
    CommsException typed = assertThrows(CommsException.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, "confirm:" + SAM, SequenceService.Gate.NONE, f.audit(DANA)));
    assertTrue(typed.getMessage().contains("no confirm approval matching"), typed.getMessage());
    List<String> set = EnrollmentStore.of(f.store).liveRecipients(seq.id());
    f.approvals().confirm(f.as(SAM), seq, Approvals.recipientSetHash(seq.id(), set), f.audit(SAM));
    f.clock.advance(Duration.ofHours(25));
    CommsException expired = assertThrows(CommsException.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, "confirm:" + SAM, SequenceService.Gate.NONE, f.audit(DANA)));
    assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    assertEquals("draft", SequenceStore.of(f.store).find(seq.id()).orElseThrow().state());
    f.approvals().confirm(f.as(SAM), seq, Approvals.recipientSetHash(seq.id(), set), f.audit(SAM));
    assertEquals("active", f.service().launch(f.as(DANA), seq.id(), 1, "confirm:" + SAM, SequenceService.Gate.NONE, f.audit(DANA)).state());
  }

  @Test
  void aRefusedGateNamesItsKindAndTierForCallersThatAreNotPeople() {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    comms.core.approval.ApprovalRequired e =
        assertThrows(comms.core.approval.ApprovalRequired.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA)));
    assertEquals(ExitCode.POLICY, e.exitCode());
    assertEquals("confirm", e.gate());
    assertEquals("51–500", e.tier());
  }

  @Test
  void anAgentNeverCreatesASequenceForAnotherOwnerEvenForAnAdmin() {
    Identity agent = Identity.resolve(f.roster(), DANA, null, "agent:claude", "tester");
    assertTrue(agent.admin(), "dana is the sample's admin");
    AuditTrail trail = new AuditTrail(f.store, f.roster(), agent, "run-test", f.clock);
    CommsException e =
        assertThrows(CommsException.class, () -> f.service().create(agent, new SequenceService.Draft("Welcome", SAM, plan()), trail));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("agent:claude acts for " + DANA), e.getMessage());
    assertEquals(0, SequenceStore.of(f.store).list(null).size());
    assertEquals(SAM, f.service().create(f.as(DANA), new SequenceService.Draft("Welcome", SAM, plan()), f.audit(DANA)).owner());
  }

  @Test
  void aTokenIsSingleUse() {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    String hash = Approvals.recipientSetHash(seq.id(), EnrollmentStore.of(f.store).liveRecipients(seq.id()));
    // Dana owns it, so the admin issuing is refused; make Sam an admin to issue.
    f.roster().update(SAM, new Roster.Change(null, "admin", null, null, null), MONDAY_10_NY);
    String token = f.approvals().issue(f.as(SAM), seq, hash, f.audit(SAM)).token();
    SequenceRow seqNow = SequenceStore.of(f.store).find(seq.id()).orElseThrow();
    assertEquals(Optional.empty(), f.approvals().check(seqNow, SequenceRules.DEFAULTS.approvals(), 1001, "token:" + token, hash));
    Optional<String> again = f.approvals().check(seqNow, SequenceRules.DEFAULTS.approvals(), 1001, "token:" + token, hash);
    assertTrue(again.orElseThrow().contains("single use"), again.toString());
  }

  @Test
  void theWorkerSendsEachStageOnceOverThreeWeeksAndCompletes() {
    SequenceRow seq = draft();
    f.store.recordConsent("sms", "+13125550142", "opted-in", "test", MONDAY_10_NY);
    f.enrollment().add(f.as(DANA), seq, List.of(row(2, "ok@example.com", "+13125550142"), row(3, "two@example.com", null)), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    int sent = 0;
    for (int hour = 0; hour < 21 * 24; hour++) {
      SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(1000);
      sent += s.sent();
      assertTrue(s.problems().isEmpty(), s.problems().toString());
      f.clock.advance(Duration.ofHours(1));
    }
    // ok@: three stages; two@: two emails, the SMS stage skipped for want of a phone.
    assertEquals(5, sent);
    assertEquals(5, f.log().size());
    assertTrue(f.log().stream().allMatch(l -> seq.id().equals(l.sequenceId()) && l.stage() != null), "every stage send's log line names its sequence and stage");
    // Every email stage carried a Message-ID we chose, on its log line and in the f.store; a text carries none.
    for (DeliveryRecord l : f.log()) {
      if (l.channel().equals("email")) {
        assertEquals("<" + l.deliveryId() + "@lakesideprint.com>", l.messageId());
        assertEquals(l.deliveryId(), comms.core.store.SentMessages.of(f.store).find(l.messageId()).orElseThrow().deliveryId());
        assertEquals(DANA, comms.core.store.SentMessages.of(f.store).find(l.messageId()).orElseThrow().owner());
      } else {
        assertEquals(null, l.messageId());
      }
    }
    assertEquals("completed", SequenceStore.of(f.store).find(seq.id()).orElseThrow().state());
    Map<String, Integer> counts = SequenceStore.of(f.store).counts(seq.id());
    assertEquals(2, counts.get("completed"));
    List<StageSendStore.StageSendRow> stages = StageSendStore.of(f.store).inSequence(seq.id());
    assertEquals(6, stages.size());
    // Stage 2 went three days after stage 1, stage 3 four days after stage 2.
    StageSendStore.StageSendRow s1 = stages.stream().filter(r -> r.stage() == 1).findFirst().orElseThrow();
    StageSendStore.StageSendRow s2 = StageSendStore.of(f.store).find(s1.enrollmentId(), 2).orElseThrow();
    assertEquals(Duration.ofDays(3), Duration.between(s1.finishedAt(), s2.finishedAt()));
  }

  @Test
  void aClosedWindowDefersAndLaterStagesShiftByTheSameAmount() {
    SequenceRow seq = draft();
    f.enrollment().add(f.as(DANA), seq, List.of(row(2, "ok@example.com", null)), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    Instant opens = MONDAY_10_NY.plus(Duration.ofHours(6));
    SendingHours closedUntil = at -> at.isBefore(opens) ? Optional.of(new SendingHours.Closed("holiday", opens)) : Optional.empty();
    SequenceWorker.Summary s = f.worker("w1", closedUntil).pass(100);
    assertEquals(0, s.sent());
    assertEquals("holiday", s.deferred().get(0).reason());
    assertEquals(opens, EnrollmentStore.of(f.store).inSequence(seq.id()).get(0).nextDueAt());
    f.clock.set(opens);
    assertEquals(1, f.worker("w1", closedUntil).pass(100).sent());
    assertEquals(opens.plus(Duration.ofDays(3)), EnrollmentStore.of(f.store).inSequence(seq.id()).get(0).nextDueAt());
  }

  @Test
  void twoWorkersOnOneStoreSendEachStageOnce() throws Exception {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    f.roster().update(DANA, new Roster.Change(null, null, null, 1000, null), MONDAY_10_NY);
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    Store second = backend.open(new OutboxPaths(outbox).store());
    int[] sent = new int[2];
    Thread a = new Thread(() -> sent[0] = f.worker("wa", SendingHours.ALWAYS).pass(1000).sent());
    a.start();
    sent[1] = f.worker("wb", SendingHours.ALWAYS).pass(1000).sent();
    a.join();
    second.close();
    assertEquals(40, sent[0] + sent[1]);
    assertEquals(40, f.log().stream().map(DeliveryRecord::idempotencyKey).distinct().count());
    assertEquals(40, f.log().size());
  }

  @Test
  void thePerMinuteCapDefersTheRestToTheNextMinute() {
    SequenceRow seq = draft();
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      rows.add(row(i + 2, "r" + i + "@example.com", null));
    }
    f.enrollment().add(f.as(DANA), seq, rows, null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    SequenceWorker.Summary first = f.worker("w1", SendingHours.ALWAYS).pass(1000);
    assertEquals(30, first.sent());
    assertEquals(5, first.deferred().size());
    assertTrue(first.deferred().stream().allMatch(d -> d.reason().equals("cap") && d.until().equals(MONDAY_10_NY.plus(Duration.ofMinutes(1)))));
    assertEquals(30, f.log().size(), "a deferral writes no log line");
    f.clock.advance(Duration.ofMinutes(1));
    assertEquals(5, f.worker("w1", SendingHours.ALWAYS).pass(1000).sent());
  }

  @Test
  void replayedTimeJumpsFromOneDueSendToTheNextAndSendsNothingEarly() {
    SequenceRow seq = draft();
    f.enrollment().add(f.as(DANA), seq, List.of(row(2, "ok@example.com", null), row(3, "two@example.com", null)), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    List<Long> waits = new ArrayList<>();
    WorkerRun.Totals t =
        new WorkerRun(f.worker("w1", SendingHours.ALWAYS), EnrollmentStore.of(f.store), java.time.Clock.systemUTC(), f.clock, ms -> waits.add(ms) || true, null)
            .run(new WorkerRun.Span(MONDAY_10_NY.plus(Duration.ofDays(21)), false), 1000);
    assertEquals(4, t.sent());
    assertEquals(2, t.skipped(), "the text stage, for want of a phone");
    assertEquals(List.of(), waits, "replayed time never waits on the real f.clock");
    assertEquals(MONDAY_10_NY.plus(Duration.ofDays(21)), t.to());
    List<Instant> times = f.log().stream().map(DeliveryRecord::time).distinct().sorted().toList();
    assertEquals(List.of(MONDAY_10_NY, MONDAY_10_NY.plus(Duration.ofDays(3))), times, "each stage went exactly when it was due");
  }

  @Test
  void thanksgivingPushesStageTwoToFridayMorningAndStageThreeMovesWithIt() {
    Instant mondayNoonNy = Instant.parse("2026-11-23T17:00:00Z");
    f.clock.set(mondayNoonNy);
    f.store.recordConsent("sms", "+13125550142", "opted-in", "test", mondayNoonNy);
    SequenceRow seq = draft();
    f.enrollment().add(f.as(DANA), seq, List.of(row(2, "ok@example.com", "+13125550142")), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    comms.core.policy.SendWindow window =
        new comms.core.policy.SendWindow(
            new comms.core.contract.SequencesContract.Window(null, LocalTime.of(8, 0), LocalTime.of(20, 0), java.util.EnumSet.allOf(java.time.DayOfWeek.class)),
            ZoneId.of("America/New_York"),
            comms.core.policy.HolidayCalendar.of("US", null, List.of()));
    WorkerRun.Totals t =
        new WorkerRun(f.worker("w1", window), EnrollmentStore.of(f.store), java.time.Clock.systemUTC(), f.clock, ms -> true, null)
            .run(new WorkerRun.Span(mondayNoonNy.plus(Duration.ofDays(21)), false), 1000);
    assertEquals(3, t.sent(), t.toString());
    List<Instant> times = f.log().stream().map(DeliveryRecord::time).sorted().toList();
    Instant fridayEightNy = Instant.parse("2026-11-27T13:00:00Z");
    // Stage 3, four days after stage 2, falls at 08:00 New York but 07:00 in Chicago, the number's zone:
    // the text waits out the recipient's quiet hours too, and that wait writes no log line.
    assertEquals(List.of(mondayNoonNy, fridayEightNy, Instant.parse("2026-12-01T14:00:00Z")), times,
        "stage 2 was due on Thanksgiving (Thursday) and went Friday 08:00; stage 3 followed four days after it, at 08:00 Chicago");
  }
}
