package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.approval.Approvals;
import comms.core.contract.Bindings;
import comms.core.contract.ImessageRules;
import comms.core.delivery.Evidence;
import comms.core.delivery.GovernedSend;
import comms.core.imessage.DaemonDesk;
import comms.core.imessage.ImessageOutbox;
import comms.core.imessage.ImessageStageGate;
import comms.core.imessage.PhoneConsents;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.SimulatedProvider;
import comms.core.send.Previewer;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.ImessageQueue;
import comms.core.store.RawSql;
import comms.core.store.RawSqlReader;
import comms.core.store.RecipientPhones;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iMessage stages end to end in core: the worker's gate (prerequisites, hours, daily cap) before the
 * governed path queues a text, and the daemon desk's pacing, hours and inbound STOP on the queue.
 */
class ImessageStagesTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant MONDAY_10_CHICAGO = Instant.parse("2026-12-07T16:00:00Z");
  static final String DANA = "dana@lakesideprint.com";
  static final String DISCLOSURE = "Yes, Lakeside Print may text me by iMessage. Reply STOP to end.";

  @TempDir Path outbox;
  Store store;
  MovableClock clock;
  final List<String> notes = new ArrayList<>();
  ImessageRules rules = BINDINGS.sequences().imessage();

  @BeforeEach
  void open() {
    store = Store.at(new OutboxPaths(outbox).store());
    clock = new MovableClock(MONDAY_10_CHICAGO);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Roster roster() {
    return Roster.of(store, BINDINGS.operators());
  }

  Identity as(String who) {
    return Identity.resolve(roster(), who, null, null, "tester");
  }

  AuditTrail audit(String who) {
    return new AuditTrail(store, roster(), as(who), "run-test", clock);
  }

  Approvals approvals() {
    return new Approvals(ApprovalStore.of(store), roster(), clock, Duration.ofHours(24));
  }

  SequenceService service() {
    return new SequenceService(SequenceStore.of(store), EnrollmentStore.of(store), approvals(), SequenceRules.DEFAULTS, clock);
  }

  Enrollment enrollment() {
    return new Enrollment(store, EnrollmentStore.of(store), approvals(), BINDINGS.templates(), SequenceRules.DEFAULTS, clock);
  }

  Evidence evidence() {
    OutboxPaths paths = new OutboxPaths(outbox);
    return new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE);
  }

  GovernedSend path(String owner, comms.core.delivery.ProviderDirectory directory) {
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(BINDINGS, store::consentState, store::suppressionMatch), BINDINGS.providers(), BINDINGS.operators(), directory, evidence(),
            SendCaps.of(store, roster()), audit(owner), clock, notes::add));
  }

  SequenceWorker worker() {
    ImessageOutbox queue = new ImessageOutbox(store, clock, "run-test");
    GovernedStageSender sender =
        new GovernedStageSender(o -> path(o, (p, live) -> new SimulatedProvider(p.name())), store::consentState, clock, false, "run-test")
            .imessage(o -> path(o, queue.directory(o)), email -> RecipientPhones.of(store).find(email).map(RecipientPhones.PhoneConsent::phoneE164), queue);
    return new SequenceWorker(
        new SequenceWorker.Parts(
            SequenceStore.of(store), EnrollmentStore.of(store), StageSendStore.of(store), sender,
            plan -> comms.core.policy.SendWindow.of(
                BINDINGS.sequences(), new comms.core.contract.SequencesContract.Window(null, plan.windowStart(), plan.windowEnd(), BINDINGS.sequences().sendWindow().days()),
                plan.zone(), comms.core.policy.HolidayCalendar.extraOnly(List.of())),
            Engagement.NONE,
            SequenceWorker.CapCheck.of(SendCaps.of(store, roster()), o -> new int[] {1000, 1000}),
            clock, "worker-test", null, ReplyWatch.NONE, new ImessageStageGate(store, rules)));
  }

  static SequencePlan plan() {
    return new SequencePlan(
        ZoneId.of("America/Chicago"), LocalTime.of(8, 0), LocalTime.of(20, 0), null, null, List.of(),
        List.of(new SequencePlan.StagePlan("imessage", Duration.ZERO, "always", "welcome_nudge.sms", "welcome_nudge")));
  }

  SequenceRow launched(List<String> emails) {
    SequenceRow seq = service().create(as(DANA), new SequenceService.Draft("Nudge", null, plan()), audit(DANA));
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < emails.size(); i++) {
      rows.add(new Enrollment.RecipientInput(i + 2, emails.get(i), null, null, Map.of("first_name", "R" + i)));
    }
    // At most 50 at launch (no approval); the rest join the running sequence in a second call.
    Enrollment.Result first = enrollment().add(as(DANA), seq, rows.subList(0, Math.min(50, rows.size())), null, true, false, audit(DANA));
    assertTrue(first.rejected().isEmpty(), () -> first.rejected().toString());
    service().launch(as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, audit(DANA));
    if (rows.size() > 50) {
      enrollment().add(as(DANA), SequenceStore.of(store).find(seq.id()).orElseThrow(), rows.subList(50, rows.size()), null, true, false, audit(DANA));
    }
    return SequenceStore.of(store).find(seq.id()).orElseThrow();
  }

  void register(String email, String phone) {
    PhoneConsents c = new PhoneConsents(store, rules, clock);
    PhoneConsents.Change change = c.register(email, phone, DISCLOSURE, "2026-11-02T15:04:00Z", as(DANA));
    audit(DANA).apply(change.action(), change.apply(), x -> x);
  }

  Optional<String> stageError(SequenceRow seq, String email) {
    EnrollmentStore.EnrollmentRow e = EnrollmentStore.of(store).inSequence(seq.id()).stream().filter(x -> email.equals(x.email())).findFirst().orElseThrow();
    return StageSendStore.of(store).find(e.id(), 1).map(StageSendStore.StageSendRow::errorMessage);
  }

  String stageState(SequenceRow seq, String email) {
    EnrollmentStore.EnrollmentRow e = EnrollmentStore.of(store).inSequence(seq.id()).stream().filter(x -> email.equals(x.email())).findFirst().orElseThrow();
    return StageSendStore.of(store).find(e.id(), 1).map(StageSendStore.StageSendRow::state).orElse("none");
  }

  DaemonDesk desk(ImessageRules r) {
    return new DaemonDesk(store, r, BINDINGS.policy().keywords(), rec -> evidence().log(rec), clock);
  }

  List<DeliveryRecord> log() {
    return DeliveryJournal.of(new OutboxPaths(outbox), notes::add).newest(10_000, DeliveryJournal.Filter.ALL).entries();
  }

  @Test
  void aRecipientMissingAnyPrerequisiteNeverReachesTheQueue() {
    register("full@example.com", "+15550000001");
    register("revoked@example.com", "+15550000002");
    register("noat@example.com", "+15550000003");
    register("notext@example.com", "+15550000004");
    register("badnumber@example.com", "+15550000005");
    new PhoneConsents(store, rules, clock).revoke("revoked@example.com", "test").apply().get();
    RawSql.exec(store, "UPDATE recipient_phones SET phone_consent_at = NULL WHERE email = 'noat@example.com'");
    RawSql.exec(store, "UPDATE recipient_phones SET phone_consent_disclosure_text = NULL WHERE email = 'notext@example.com'");
    RawSql.exec(store, "UPDATE recipient_phones SET phone_e164 = '5550000005' WHERE email = 'badnumber@example.com'");
    SequenceRow seq = launched(List.of("full@example.com", "never@example.com", "revoked@example.com", "noat@example.com", "notext@example.com", "badnumber@example.com"));
    SequenceWorker.Summary s = worker().pass(100);
    assertEquals(1, s.sent(), s::toString);
    assertEquals(5, s.skipped(), s::toString);
    assertEquals(Optional.of("imessage_prerequisite:phone_e164"), stageError(seq, "never@example.com"));
    assertEquals(Optional.of("imessage_prerequisite:phone_consent_for_imessage"), stageError(seq, "revoked@example.com"));
    assertEquals(Optional.of("imessage_prerequisite:phone_consent_at"), stageError(seq, "noat@example.com"));
    assertEquals(Optional.of("imessage_prerequisite:phone_consent_disclosure_text"), stageError(seq, "notext@example.com"));
    assertEquals(Optional.of("imessage_prerequisite:phone_e164"), stageError(seq, "badnumber@example.com"));
    List<ImessageQueue.Queued> queued = ImessageQueue.of(store).inState("pending");
    assertEquals(List.of("+15550000001"), queued.stream().map(ImessageQueue.Queued::phone).toList());
    assertTrue(queued.get(0).body().contains("Hi R0") && queued.get(0).body().contains("Reply STOP"), queued.get(0).body());
    DeliveryRecord line = log().stream().filter(r -> r.status().equals("queued")).findFirst().orElseThrow();
    assertEquals(queued.get(0).deliveryId(), line.deliveryId());
    assertEquals(queued.get(0).id(), line.providerMessageId());
    // The consent capture's audit rows carry the number only as its hash.
    String audit = String.join("\n", auditPayloads());
    assertFalse(audit.contains("+15550000001"), audit);
    assertTrue(audit.contains(AuditTrail.hash("+15550000001")), audit);
  }

  List<String> auditPayloads() {
    List<String> out = new ArrayList<>();
    RawSqlReader.payloads(store, out);
    return out;
  }

  @Test
  void theFiftyFirstTextOfAUtcDayIsSkippedWithTheCapsMessage() {
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      String e = "r" + i + "@example.com";
      emails.add(e);
      register(e, String.format("+1555%07d", i));
    }
    SequenceRow seq = launched(emails);
    // The operator's own per-minute cap (30) spreads the sends over two minutes; the iMessage cap counts the day.
    int sent = 0;
    int skipped = 0;
    for (int minute = 0; minute < 3; minute++) {
      SequenceWorker.Summary s = worker().pass(100);
      sent += s.sent();
      skipped += s.skipped();
      clock.advance(Duration.ofMinutes(1));
    }
    assertEquals(50, sent);
    assertEquals(1, skipped);
    assertEquals(50, ImessageQueue.of(store).inState("pending").size());
    long capped = emails.stream().filter(e -> stageError(seq, e).equals(Optional.of("daily_imessage_cap_exhausted:50"))).count();
    assertEquals(1, capped);
    assertEquals(50, ImessageStageGate.usedToday(ImessageQueue.of(store), DANA, clock.instant()));
    // A new UTC day has room again: the count is per day.
    assertEquals(0, ImessageStageGate.usedToday(ImessageQueue.of(store), DANA, Instant.parse("2026-12-08T00:00:00Z")));
  }

  @Test
  void theWorkerWaitsForTheOperatorsHoursAndTheDeskHandsOutOnlyInsideThem() {
    register("lee@example.com", "+15551234567");
    clock.set(Instant.parse("2026-12-07T14:59:00Z")); // 08:59 in Chicago: the sequence window is open, iMessage hours are not
    SequenceRow seq = launched(List.of("lee@example.com"));
    SequenceWorker.Summary early = worker().pass(10);
    assertEquals(0, early.sent());
    assertEquals("imessage_hours", early.deferred().get(0).reason());
    assertEquals(Instant.parse("2026-12-07T15:00:00Z"), early.deferred().get(0).until());
    clock.set(Instant.parse("2026-12-07T15:00:00Z")); // 09:00
    assertEquals(1, worker().pass(10).sent());
    assertEquals("sent", stageState(seq, "lee@example.com"));
    DaemonDesk desk = desk(rules);
    clock.set(Instant.parse("2026-12-08T02:00:00Z")); // 20:00: closed again
    assertEquals(0, desk.pending("mac").size());
    clock.set(Instant.parse("2026-12-08T01:59:00Z")); // 19:59
    assertEquals(1, desk.pending("mac").size());
  }

  @Test
  void pacingHandsOutOneTextPerOperatorEveryThirtySecondsHoweverFastTheDaemonPolls() {
    for (int i = 0; i < 3; i++) {
      register("p" + i + "@example.com", "+1555200000" + i);
    }
    launched(List.of("p0@example.com", "p1@example.com", "p2@example.com"));
    assertEquals(3, worker().pass(10).sent());
    DaemonDesk desk = desk(rules);
    List<String> handed = new ArrayList<>();
    List<Instant> when = new ArrayList<>();
    // A poll every second for 70 seconds.
    for (int t = 0; t <= 70; t++) {
      for (ImessageQueue.Queued q : desk.pending("mac")) {
        handed.add(q.id());
        when.add(clock.instant());
        desk.report(q.id(), "mac", true, null);
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(3, handed.size(), handed::toString);
    assertEquals(List.of(MONDAY_10_CHICAGO, MONDAY_10_CHICAGO.plusSeconds(30), MONDAY_10_CHICAGO.plusSeconds(60)), when);
    assertEquals(3, ImessageQueue.of(store).inState("sent").size());
    assertEquals(3, log().stream().filter(r -> r.status().equals("sent")).count());
    assertTrue(DaemonDesk.health(store, rules, clock.instant()).healthy());
    assertFalse(DaemonDesk.health(store, rules, clock.instant().plus(Duration.ofMinutes(6))).healthy(), "a poll older than 5 minutes is unhealthy");
  }

  @Test
  void anInboundStopRevokesConsentSuppressesTheNumberAndCancelsWhatWaits() {
    register("lee@example.com", "+15551234567");
    launched(List.of("lee@example.com"));
    assertEquals(1, worker().pass(10).sent());
    DaemonDesk desk = desk(rules);
    PhoneConsents consents = new PhoneConsents(store, rules, clock);
    assertEquals(null, desk.inbound("+15551234567", "can I stop by tomorrow?", consents).revocation(), "ambiguous: not an opt-out");
    DaemonDesk.Inbound stop = desk.inbound("+15551234567", "Stop.", consents);
    assertEquals(DANA, stop.owner());
    Map<String, Object> done = audit(DANA).apply(stop.revocation().action(), stop.revocation().apply(), x -> x);
    assertEquals(1, done.get("recipients_revoked"));
    assertEquals(1, done.get("queued_cancelled"));
    RecipientPhones.PhoneConsent p = RecipientPhones.of(store).find("lee@example.com").orElseThrow();
    assertFalse(p.consentForImessage());
    assertTrue(RecipientPhones.of(store).suppressed("+15551234567").isPresent());
    assertEquals(0, desk.pending("mac").size());
    assertEquals("consent_revoked", ImessageQueue.of(store).inState("failed").get(0).error());
  }

  @Test
  void aDisabledDaemonIsRefusedAndItsStagesWait() {
    ImessageRules off = new ImessageRules(null, false, rules.operators(), 50, Duration.ofSeconds(30), LocalTime.of(9, 0), LocalTime.of(20, 0));
    rules = off;
    register("lee@example.com", "+15551234567");
    launched(List.of("lee@example.com"));
    SequenceWorker.Summary s = worker().pass(10);
    assertEquals("imessage_daemon_disabled", s.deferred().get(0).reason());
    assertEquals(0, ImessageQueue.of(store).inState("pending").size());
    org.junit.jupiter.api.Assertions.assertThrows(comms.core.imessage.DaemonDisabled.class, () -> desk(off).pending("mac"));
  }
}
