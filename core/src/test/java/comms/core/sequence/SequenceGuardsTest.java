package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.approval.ApprovalRequired;
import comms.core.approval.Approvals;
import comms.core.delivery.SendOutcome;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import comms.core.outbox.OutboxPaths;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.Roster;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guards of a sequence's life the other tests leave out: an expired token, an approval voided by
 * one more recipient, an owner who is not an active operator, two processes racing on one change,
 * the rejection reasons of phones and CCs, and template residue caught again at send time.
 */
class SequenceGuardsTest {
  static final String DANA = SequenceFixture.DANA;
  static final String SAM = SequenceFixture.SAM;

  @TempDir Path outbox;
  SequenceFixture f;

  @BeforeEach
  void open() {
    f = new SequenceFixture(outbox);
  }

  @AfterEach
  void close() {
    f.close();
  }

  SequenceRow draft(String owner) {
    return f.service().create(f.as(owner), new SequenceService.Draft("Guards", null, SequenceLifeTest.plan()), f.audit(owner));
  }

  void add(SequenceRow seq, int from, int count) {
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      rows.add(SequenceLifeTest.row(i + 2, "r" + i + "@example.com", null));
    }
    f.enrollment().add(f.as(seq.owner()), seq, rows, null, true, false, f.audit(seq.owner()));
  }

  String setHash(SequenceRow seq) {
    return Approvals.recipientSetHash(seq.id(), EnrollmentStore.of(f.store).liveRecipients(seq.id()));
  }

  String state(SequenceRow seq) {
    return SequenceStore.of(f.store).find(seq.id()).orElseThrow().state();
  }

  @Test
  void anExpiredTokenLeavesTheSequenceADraftAndSaysHowToAskAgain() {
    SequenceRow seq = draft(DANA);
    add(seq, 0, 1001);
    f.roster().update(SAM, new Roster.Change(null, "admin", null, null, null), SequenceFixture.MONDAY_10_NY);
    String token = f.approvals().issue(f.as(SAM), seq, setHash(seq), f.audit(SAM)).token();
    f.clock.advance(Duration.ofHours(24).plusMinutes(1));
    ApprovalRequired e =
        assertThrows(ApprovalRequired.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, "token:" + token, SequenceService.Gate.NONE, f.audit(DANA)));
    assertEquals(ExitCode.POLICY, e.exitCode());
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    assertTrue(e.getMessage().contains("approval.issue " + seq.id()), "says how to re-request: " + e.getMessage());
    assertTrue(!e.getMessage().contains(token), "the token is never echoed");
    assertEquals("draft", state(seq));
  }

  @Test
  void aTokenSpentOnALaunchCannotLaunchAgain() {
    SequenceRow seq = draft(DANA);
    add(seq, 0, 1001);
    f.roster().update(SAM, new Roster.Change(null, "admin", null, null, null), SequenceFixture.MONDAY_10_NY);
    String token = f.approvals().issue(f.as(SAM), seq, setHash(seq), f.audit(SAM)).token();
    SequenceRow other = draft(DANA);
    add(other, 2000, 1001);
    assertEquals("active", f.service().launch(f.as(DANA), seq.id(), 1, "token:" + token, SequenceService.Gate.NONE, f.audit(DANA)).state());
    ApprovalRequired reused =
        assertThrows(ApprovalRequired.class, () -> f.service().launch(f.as(DANA), other.id(), 1, "token:" + token, SequenceService.Gate.NONE, f.audit(DANA)));
    assertEquals(ExitCode.POLICY, reused.exitCode());
    assertEquals("draft", state(other));
  }

  @Test
  void oneMoreRecipientVoidsAConfirmation() {
    SequenceRow seq = draft(DANA);
    add(seq, 0, 51);
    f.approvals().confirm(f.as(SAM), seq, setHash(seq), f.audit(SAM));
    add(seq, 51, 1);
    ApprovalRequired e =
        assertThrows(ApprovalRequired.class, () -> f.service().launch(f.as(DANA), seq.id(), 1, "confirm:" + SAM, SequenceService.Gate.NONE, f.audit(DANA)));
    assertTrue(e.getMessage().contains("was given for another recipient set (recipients were added or removed since)"), e.getMessage());
    assertEquals("draft", state(seq));
    f.approvals().confirm(f.as(SAM), seq, setHash(seq), f.audit(SAM));
    assertEquals("active", f.service().launch(f.as(DANA), seq.id(), 1, "confirm:" + SAM, SequenceService.Gate.NONE, f.audit(DANA)).state());
  }

  @Test
  void anOwnerWhoIsNotAnActiveOperatorIsRefusedAtCreateAndAtLaunch() {
    CommsException nobody =
        assertThrows(CommsException.class, () -> f.service().create(f.as(DANA), new SequenceService.Draft("Guards", "nobody@lakesideprint.com", SequenceLifeTest.plan()), f.audit(DANA)));
    assertEquals(ExitCode.CONTRACT, nobody.exitCode());
    assertTrue(nobody.getMessage().startsWith("nobody@lakesideprint.com is not an active operator"), nobody.getMessage());
    assertEquals(0, SequenceStore.of(f.store).list(null).size(), "nothing was created");

    SequenceRow sams = draft(SAM);
    add(sams, 0, 2);
    f.roster().update(SAM, new Roster.Change(null, null, null, null, false), SequenceFixture.MONDAY_10_NY);
    CommsException gone =
        assertThrows(CommsException.class, () -> f.service().create(f.as(DANA), new SequenceService.Draft("Again", SAM, SequenceLifeTest.plan()), f.audit(DANA)));
    assertTrue(gone.getMessage().contains(SAM + " is not an active operator"), gone.getMessage());
    CommsException launch =
        assertThrows(CommsException.class, () -> f.service().launch(f.as(DANA), sams.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA)));
    assertEquals(ExitCode.CONTRACT, launch.exitCode());
    assertEquals("draft", state(sams));
  }

  @Test
  void twoProcessesPausingOneSequenceAtOnceExactlyOneWins() throws Exception {
    SequenceRow seq = draft(DANA);
    add(seq, 0, 1);
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    ExecutorService two = Executors.newFixedThreadPool(2);
    try (Store second = Store.at(new OutboxPaths(outbox).store())) {
      Roster roster2 = Roster.of(second, SequenceFixture.BINDINGS.operators());
      SequenceService other =
          new SequenceService(SequenceStore.of(second), EnrollmentStore.of(second), new Approvals(ApprovalStore.of(second), roster2, f.clock, Duration.ofHours(24)),
              SequenceRules.DEFAULTS, f.clock);
      AuditTrail otherAudit = new AuditTrail(second, roster2, f.as(DANA), "run-other", f.clock);
      int version = 2;
      for (int round = 0; round < 10; round++) {
        CyclicBarrier together = new CyclicBarrier(2);
        boolean pausing = round % 2 == 0;
        int v = version;
        Future<String> a = two.submit(() -> {
          together.await();
          return attempt(() -> pausing ? f.service().pause(f.as(DANA), seq.id(), v, f.audit(DANA)) : f.service().resume(f.as(DANA), seq.id(), v, f.audit(DANA)));
        });
        Future<String> b = two.submit(() -> {
          together.await();
          return attempt(() -> pausing ? other.pause(f.as(DANA), seq.id(), v, otherAudit) : other.resume(f.as(DANA), seq.id(), v, otherAudit));
        });
        List<String> results = List.of(a.get(), b.get());
        assertEquals(1, results.stream().filter("won"::equals).count(), "round " + round + ": " + results);
        // The loser read the old version (stale: exit 3) or the new state (not allowed: exit 3); either way it changed nothing.
        assertTrue(results.stream().anyMatch(r -> r.startsWith("exit 3:")), results.toString());
        version++;
        assertEquals(version, SequenceStore.of(f.store).find(seq.id()).orElseThrow().stateVersion(), "one change, one version step");
        assertEquals(pausing ? "paused" : "active", state(seq));
      }
    } finally {
      two.shutdownNow();
    }
  }

  static String attempt(java.util.function.Supplier<SequenceRow> change) {
    try {
      change.get();
      return "won";
    } catch (CommsException e) {
      return "exit " + e.exitCode().code() + ": " + e.getMessage();
    }
  }

  @Test
  void aSuppressedPhoneOrCcAndABadNumberAreRejectedWithTheirReasons() {
    SequenceRow seq = draft(DANA);
    f.store.addSuppression("phone", "+13125550199", "asked", SequenceFixture.MONDAY_10_NY);
    f.store.addSuppression("address", "boss@example.com", "asked", SequenceFixture.MONDAY_10_NY);
    f.store.addSuppression("domain", "blocked.com", "asked", SequenceFixture.MONDAY_10_NY);
    f.store.recordConsent("sms", "+13125550188", "opted-out", "STOP", SequenceFixture.MONDAY_10_NY);
    Map<String, String> v = new HashMap<>(SequenceLifeTest.row(0, "x@example.com", null).vars());
    Enrollment.Result r =
        f.enrollment().add(f.as(DANA), seq,
            List.of(
                new Enrollment.RecipientInput(2, "a@example.com", "+13125550199", null, v),
                new Enrollment.RecipientInput(3, "b@example.com", null, "boss@example.com", v),
                new Enrollment.RecipientInput(4, "c@example.com", null, "x@sub.blocked.com", v),
                new Enrollment.RecipientInput(5, "d@example.com", "12", null, v),
                new Enrollment.RecipientInput(6, "e@example.com", "+13125550188", null, v),
                new Enrollment.RecipientInput(7, "f@example.com", null, null, v)),
            null, true, false, f.audit(DANA));
    assertEquals(List.of("suppressed:phone", "suppressed_cc:address", "suppressed_cc:domain", "invalid:phone", "opted_out"),
        r.rejected().stream().map(Enrollment.Rejected::reason).toList());
    assertEquals(List.of("f@example.com"), r.accepted().stream().map(Enrollment.Accepted::email).toList());
  }

  @Test
  void residueThatReachesTheSendIsBlockedByTheGateAgain() {
    SequenceRow seq = draft(DANA);
    add(seq, 0, 1);
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    EnrollmentRow e = EnrollmentStore.of(f.store).inSequence(seq.id()).get(0);
    Map<String, Object> vars = new HashMap<>(Json.parseObject(e.varsJson()));
    vars.put("customer_name", "{{customer_name}}");
    // A row stored before a template changed, say: the add-time check cannot have seen this body.
    EnrollmentRow tampered =
        new EnrollmentRow(e.id(), e.sequenceId(), e.owner(), e.recipient(), e.email(), e.phone(), e.cc(), Json.write(vars), e.state(), e.nextStage(),
            e.nextDueAt(), e.pausedUntil(), e.reason());
    SequenceRow now = SequenceStore.of(f.store).find(seq.id()).orElseThrow();
    SendOutcome out =
        new GovernedStageSender(f::path, f.store::consentState, f.clock, false, "run-test")
            .send(now, tampered, 1, SequenceLifeTest.plan().stage(1), SequenceWorker.key(e.id(), 1));
    assertTrue(out instanceof SendOutcome.Blocked, out.toString());
    assertTrue(out.detail().preview().failures().stream().anyMatch(g -> g.name().equals("template_residue")), out.detail().preview().gates().toString());
    assertEquals("blocked", f.log().get(0).status());
  }
}
