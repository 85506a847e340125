package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.sequence.Engagement;
import comms.core.sequence.Enrollment;
import comms.core.sequence.ReplyWatch;
import comms.core.sequence.SendingHours;
import comms.core.sequence.SequenceFixture;
import comms.core.sequence.SequencePlan;
import comms.core.sequence.SequenceService;
import comms.core.sequence.SequenceWorker;
import comms.core.sequence.WorkerClock;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.ReplyStore;
import comms.core.store.Roster;
import comms.core.store.SequenceStore.SequenceRow;
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
  static final Bindings BINDINGS = SequenceFixture.BINDINGS;
  static final Instant MONDAY_10_NY = SequenceFixture.MONDAY_10_NY;
  static final String DANA = SequenceFixture.DANA;

  @TempDir Path outbox;
  SequenceFixture f;
  Store store;
  WorkerClock clock;
  List<String> notes;

  @BeforeEach
  void open() {
    f = new SequenceFixture(outbox);
    store = f.store;
    clock = f.clock;
    notes = f.notes;
  }

  @AfterEach
  void close() {
    f.close();
  }

  void advance(Duration d) {
    clock.set(clock.instant().plus(d));
  }

  Roster roster() {
    return f.roster();
  }

  Identity as(String who) {
    return f.as(who);
  }

  AuditTrail audit(String who) {
    return f.audit(who);
  }

  SequenceService service() {
    return f.service();
  }

  SequenceWorker worker(ReplyWatch watch) {
    return f.worker("w1", SendingHours.ALWAYS, Engagement.NONE, SequenceWorker.CapCheck.NONE, watch);
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
    f.enrollment().add(as(DANA), seq, rows, null, true, false, audit(DANA));
    service().launch(as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, audit(DANA));
    assertEquals(emails.length, worker(ReplyWatch.NONE).pass(100).sent());
    return seq;
  }

  List<DeliveryRecord> log() {
    return f.log();
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
