package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.approval.Approvals;
import comms.core.contract.Bindings;
import comms.core.delivery.Evidence;
import comms.core.delivery.GovernedSend;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.SimulatedProvider;
import comms.core.send.Previewer;
import comms.core.sequence.Engagement;
import comms.core.sequence.Enrollment;
import comms.core.sequence.GovernedStageSender;
import comms.core.sequence.ReplyWatch;
import comms.core.sequence.SendingHours;
import comms.core.sequence.SequencePlan;
import comms.core.sequence.SequenceRules;
import comms.core.sequence.SequenceService;
import comms.core.sequence.SequenceWorker;
import comms.core.sequence.WorkerClock;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.ReplyStore;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The store, the governed path, the worker and the simulated inbox of one outbox, for the reply tests. */
abstract class ReplyFlowTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant MONDAY_10_NY = Instant.parse("2026-12-07T15:00:00Z");
  static final String DANA = "dana@lakesideprint.com";

  @TempDir Path outbox;
  Store store;
  WorkerClock clock;
  final List<String> notes = new ArrayList<>();

  @BeforeEach
  void open() {
    store = Store.at(new OutboxPaths(outbox).store());
    clock = new WorkerClock(MONDAY_10_NY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  void advance(Duration d) {
    clock.set(clock.instant().plus(d));
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

  SequenceService service() {
    Approvals approvals = new Approvals(ApprovalStore.of(store), roster(), clock, Duration.ofHours(24));
    return new SequenceService(SequenceStore.of(store), EnrollmentStore.of(store), approvals, SequenceRules.DEFAULTS, clock);
  }

  GovernedSend path(String owner) {
    OutboxPaths paths = new OutboxPaths(outbox);
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(BINDINGS, store::consentState, store::suppressionMatch), BINDINGS.providers(), BINDINGS.operators(),
            (provider, live) -> new SimulatedProvider(provider.name()), new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE),
            SendCaps.of(store, roster()), audit(owner), clock, notes::add));
  }

  SequenceWorker worker(ReplyWatch watch) {
    return new SequenceWorker(
        new SequenceWorker.Parts(
            SequenceStore.of(store), EnrollmentStore.of(store), StageSendStore.of(store),
            new GovernedStageSender(this::path, store::consentState, clock, false, "run-test"), plan -> SendingHours.ALWAYS, Engagement.NONE,
            SequenceWorker.CapCheck.NONE, clock, "w1", null, watch));
  }

  SimulatedInbox inbox() {
    return new SimulatedInbox(new OutboxPaths(outbox).simulatedInbox());
  }

  ReplySync sync() {
    return new ReplySync(new ReplySync.Parts(store, inbox(), 7, clock, audit(DANA)));
  }

  Watches watches() {
    return new Watches(ReplyStore.of(store), Duration.ofMinutes(10));
  }

  /** Two emails three days apart: the second only to those who did not reply. */
  static SequencePlan plan() {
    return new SequencePlan(
        ZoneId.of("America/New_York"), LocalTime.of(8, 0), LocalTime.of(20, 0), "US", null, List.of(),
        List.of(
            new SequencePlan.StagePlan("email", Duration.ZERO, "always", "payment_needed.email", "payment_needed"),
            new SequencePlan.StagePlan("email", Duration.ofDays(3), "no_reply", "order_ready.email", "order_ready")));
  }

  static Enrollment.RecipientInput row(int line, String email) {
    Map<String, String> v = new HashMap<>();
    for (String k : List.of("customer_name", "order_number", "balance_amount", "payment_link", "pickup_window", "proof_link")) {
      v.put(k, k.endsWith("_link") ? "https://example.com/x" : "v");
    }
    return new Enrollment.RecipientInput(line, email, null, null, v);
  }

  /** A launched sequence of Dana's with these recipients; its first stage sent. */
  SequenceRow launchedAndFirstStageSent(String... emails) {
    SequenceRow seq = service().create(as(DANA), new SequenceService.Draft("Welcome", null, plan()), audit(DANA));
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < emails.length; i++) {
      rows.add(row(i + 2, emails[i]));
    }
    Approvals approvals = new Approvals(ApprovalStore.of(store), roster(), clock, Duration.ofHours(24));
    new Enrollment(store, EnrollmentStore.of(store), approvals, BINDINGS.templates(), SequenceRules.DEFAULTS, clock).add(as(DANA), seq, rows, null, true, false, audit(DANA));
    service().launch(as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, audit(DANA));
    assertEquals(emails.length, worker(ReplyWatch.NONE).pass(100).sent());
    return seq;
  }

  List<DeliveryRecord> log() {
    return DeliveryJournal.of(new OutboxPaths(outbox), notes::add).newest(10_000, DeliveryJournal.Filter.ALL).entries();
  }

  /** The Message-ID stage 1 carried to {@code email}. */
  String messageIdTo(String email) {
    return log().stream().filter(l -> l.to().equals(email) && Integer.valueOf(1).equals(l.stage())).findFirst().orElseThrow().messageId();
  }

  EnrollmentRow enrollment(SequenceRow seq, String email) {
    return EnrollmentStore.of(store).inSequence(seq.id()).stream().filter(e -> email.equals(e.email())).findFirst().orElseThrow();
  }

  /** Delivers a message into Dana's simulated inbox now. */
  void inbound(String from, String subject, String inReplyTo, String body, Map<String, String> headers) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers.entrySet());
    byte[] raw =
        MimeMessages.write(new MimeMessages.Draft(from, DANA, subject, body, "<in-" + System.nanoTime() + "@example.org>", inReplyTo, h, clock.instant()));
    inbox().deliver(DANA, raw, clock.instant());
  }

  static void assertContains(String text, String part) {
    assertTrue(text != null && text.contains(part), "expected '" + part + "' in: " + text);
  }
}
