package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.approval.Approvals;
import comms.core.contract.Bindings;
import comms.core.delivery.Evidence;
import comms.core.delivery.GovernedSend;
import comms.core.engagement.EngagementService;
import comms.core.engagement.EngagementService.Outcome;
import comms.core.engagement.OpenRules;
import comms.core.engagement.StoredEngagement;
import comms.core.engagement.WebhookVerifier;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.SimulatedProvider;
import comms.core.send.Previewer;
import comms.core.store.ApprovalStore;
import comms.core.store.AuditLog;
import comms.core.store.EngagementStore;
import comms.core.store.EnrollmentStore;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks into the worker: a stage-1 email, Resend events about it, then the no_engagement stage two
 * days later. A machine open leaves the recipient unengaged; a click or a human-shaped open skips the
 * stage; a hard bounce or a complaint suppresses the address and ends the enrollment.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class EngagementFlowTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant MONDAY_10_NY = Instant.parse("2026-12-07T15:00:00Z");
  static final String DANA = "dana@lakesideprint.com";
  static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("engagement-flow-test-secret-32b!".getBytes());
  static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

  @TempDir Path outbox;
  Store store;
  MovableClock clock;
  final List<String> notes = new ArrayList<>();
  int ids;

  @BeforeEach
  void open() {
    store = backend.open(new OutboxPaths(outbox).store());
    clock = new MovableClock(MONDAY_10_NY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Roster roster() {
    return Roster.of(store, BINDINGS.operators());
  }

  Identity dana() {
    return Identity.resolve(roster(), DANA, null, null, "tester");
  }

  AuditTrail audit() {
    return new AuditTrail(store, roster(), dana(), "run-test", clock);
  }

  Approvals approvals() {
    return new Approvals(ApprovalStore.of(store), roster(), clock, Duration.ofHours(24));
  }

  GovernedSend path(String owner) {
    OutboxPaths paths = new OutboxPaths(outbox);
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(BINDINGS, store::consentState, store::suppressionMatch), BINDINGS.providers(), BINDINGS.operators(),
            (provider, live) -> new SimulatedProvider(provider.name()), new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE),
            SendCaps.of(store, roster()), audit(), clock, notes::add));
  }

  SequenceWorker worker() {
    return new SequenceWorker(
        new SequenceWorker.Parts(
            SequenceStore.of(store), EnrollmentStore.of(store), StageSendStore.of(store),
            new GovernedStageSender(this::path, store::consentState, clock, false, "run-test"), plan -> SendingHours.ALWAYS,
            new StoredEngagement(EngagementStore.of(store)), SequenceWorker.CapCheck.NONE, clock, "w1", null));
  }

  EngagementService service() {
    return new EngagementService(store, WebhookVerifier.of(SECRET), new OpenRules(Duration.ofSeconds(60)), audit(), clock);
  }

  static Enrollment.RecipientInput row(int line, String email) {
    Map<String, String> v = new HashMap<>();
    for (String k : List.of("customer_name", "order_number", "balance_amount", "payment_link", "pickup_window")) {
      v.put(k, k.equals("payment_link") ? "https://example.com/x" : "v");
    }
    return new Enrollment.RecipientInput(line, email, null, null, v);
  }

  /** Launches a two-stage sequence to {@code emails} and runs stage 1; the provider message id of each address. */
  Map<String, String> launchAndSendStageOne(String... emails) {
    SequencePlan plan =
        new SequencePlan(
            ZoneId.of("America/New_York"), LocalTime.of(8, 0), LocalTime.of(20, 0), "US", null, List.of(),
            List.of(
                new SequencePlan.StagePlan("email", Duration.ZERO, "always", "payment_needed.email", "payment_needed"),
                new SequencePlan.StagePlan("email", Duration.ofDays(2), "no_engagement", "order_ready.email", "order_ready")));
    SequenceService svc = new SequenceService(SequenceStore.of(store), EnrollmentStore.of(store), approvals(), SequenceRules.DEFAULTS, clock);
    SequenceRow seq = svc.create(dana(), new SequenceService.Draft("Engagement", null, plan), audit());
    List<Enrollment.RecipientInput> rows = new ArrayList<>();
    for (int i = 0; i < emails.length; i++) {
      rows.add(row(i + 2, emails[i]));
    }
    new Enrollment(store, EnrollmentStore.of(store), approvals(), BINDINGS.templates(), SequenceRules.DEFAULTS, clock).add(dana(), seq, rows, null, true, false, audit());
    svc.launch(dana(), seq.id(), 1, null, SequenceService.Gate.NONE, audit());
    assertEquals(emails.length, worker().pass(100).sent());
    Map<String, String> byAddress = new LinkedHashMap<>();
    for (DeliveryRecord r : DeliveryJournal.of(new OutboxPaths(outbox), notes::add).newest(100, DeliveryJournal.Filter.ALL).entries()) {
      byAddress.put(r.to(), r.providerMessageId());
    }
    return byAddress;
  }

  /** A webhook as Resend sends it: the Svix headers and the raw body, signed now. */
  Map<String, Object> webhook(String type, String emailId, String to, Instant at, Map<String, Object> extra) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("email_id", emailId);
    data.put("created_at", MONDAY_10_NY.toString());
    data.put("from", "Dana <dana@lakesideprint.com>");
    data.put("to", List.of(to));
    data.put("subject", "Payment needed");
    data.putAll(extra);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("created_at", at.toString());
    event.put("data", data);
    String body = Json.write(event);
    String id = "msg_test" + (++ids);
    String ts = String.valueOf(clock.instant().getEpochSecond());
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("headers", Map.of("svix-id", id, "svix-timestamp", ts, "svix-signature", WebhookVerifier.of(SECRET).signature(id, ts, body)));
    w.put("body", body);
    return w;
  }

  @SuppressWarnings("unchecked")
  Outcome ingest(Map<String, Object> w) {
    return service().ingest((Map<String, String>) w.get("headers"), (String) w.get("body"));
  }

  static Map<String, Object> open(String ua, String ip, Instant at) {
    return Map.of("open", Map.of("userAgent", ua, "ipAddress", ip, "timestamp", at.toString()));
  }

  String stageTwo(String address) {
    EnrollmentStore.EnrollmentRow e =
        EnrollmentStore.of(store).inSequence(SequenceStore.of(store).list(null).get(0).id()).stream().filter(r -> address.equals(r.email())).findFirst().orElseThrow();
    return StageSendStore.of(store).find(e.id(), 2).map(r -> r.state() + (r.errorMessage() == null ? "" : ":" + r.errorMessage())).orElse(e.state());
  }

  @Test
  void anAppleMppOpenLeavesTheRecipientUnengagedButAClickOrAHumanOpenDoesNot() {
    Map<String, String> ids = launchAndSendStageOne("mpp@example.com", "click@example.com", "reader@example.com", "quick@example.com");
    clock.advance(Duration.ofMinutes(2));
    Instant delivered = MONDAY_10_NY.plusSeconds(3);
    for (String a : ids.keySet()) {
      assertInstanceOf(Outcome.Accepted.class, ingest(webhook("email.delivered", ids.get(a), a, delivered, Map.of())));
    }
    Outcome mpp = ingest(webhook("email.opened", ids.get("mpp@example.com"), "mpp@example.com", delivered.plusSeconds(90), open("Mozilla/5.0", "17.58.1.2", delivered.plusSeconds(90))));
    assertEquals("apple_mpp", assertInstanceOf(Outcome.Accepted.class, mpp).ignoredBy());
    Outcome click =
        ingest(webhook("email.clicked", ids.get("click@example.com"), "click@example.com", delivered.plusSeconds(95),
            Map.of("click", Map.of("link", "https://example.com/x", "userAgent", SAFARI, "ipAddress", "203.0.113.9", "timestamp", delivered.plusSeconds(95).toString()))));
    assertTrue(assertInstanceOf(Outcome.Accepted.class, click).counts());
    Outcome human = ingest(webhook("email.opened", ids.get("reader@example.com"), "reader@example.com", delivered.plusSeconds(100), open(SAFARI, "203.0.113.10", delivered.plusSeconds(100))));
    assertTrue(assertInstanceOf(Outcome.Accepted.class, human).counts());
    Outcome quick = ingest(webhook("email.opened", ids.get("quick@example.com"), "quick@example.com", delivered.plusSeconds(20), open(SAFARI, "203.0.113.11", delivered.plusSeconds(20))));
    assertEquals("too_soon", assertInstanceOf(Outcome.Accepted.class, quick).ignoredBy());

    clock.advance(Duration.ofDays(2));
    SequenceWorker.Summary s = worker().pass(100);
    assertEquals(2, s.sent(), s.toString());
    assertEquals(2, s.skipped(), s.toString());
    assertEquals("sent", stageTwo("mpp@example.com"));
    assertEquals("sent", stageTwo("quick@example.com"));
    assertEquals("skipped:engaged", stageTwo("click@example.com"));
    assertEquals("skipped:engaged", stageTwo("reader@example.com"));

    EngagementStore.Counts c = EngagementStore.of(store).counts(null);
    assertEquals(4, c.delivered());
    assertEquals(1, c.humanOpens());
    assertEquals(Map.of("apple_mpp", 1L, "too_soon", 1L), c.machineOpensByRule());
    assertEquals(1, c.clicks());
  }

  @Test
  void aReplayedWebhookIsAppliedOnce() {
    Map<String, String> ids = launchAndSendStageOne("click@example.com");
    Map<String, Object> w = webhook("email.clicked", ids.get("click@example.com"), "click@example.com", clock.instant(), Map.of());
    assertInstanceOf(Outcome.Accepted.class, ingest(w));
    assertInstanceOf(Outcome.Duplicate.class, ingest(w));
    assertEquals(1, EngagementStore.of(store).counts(null).clicks());
  }

  @Test
  void aForgedOrStaleWebhookIsRefusedCountedAndNeverApplied() {
    Map<String, String> ids = launchAndSendStageOne("click@example.com");
    Map<String, Object> w = webhook("email.clicked", ids.get("click@example.com"), "click@example.com", clock.instant(), Map.of());
    @SuppressWarnings("unchecked")
    Map<String, String> h = (Map<String, String>) w.get("headers");
    Outcome forged = service().ingest(h, ((String) w.get("body")).replace("click@", "clock@"));
    assertEquals("bad_signature", assertInstanceOf(Outcome.Refused.class, forged).reason());
    clock.advance(Duration.ofMinutes(6));
    Outcome stale = ingest(w);
    assertEquals("stale", assertInstanceOf(Outcome.Refused.class, stale).reason());
    EngagementStore.Counts c = EngagementStore.of(store).counts(null);
    assertEquals(0, c.clicks());
    assertEquals(2, c.refused());
    assertEquals(Map.of("bad_signature", 1L, "stale", 1L), c.refusedByReason());
    clock.advance(Duration.ofDays(2));
    assertEquals(1, worker().pass(100).sent(), "nothing refused counted as engagement");
  }

  @Test
  void aComplaintSuppressesTheAddressAndEndsTheEnrollmentAsOptedOut() {
    Map<String, String> ids = launchAndSendStageOne("angry@example.com", "gone@example.com", "full@example.com");
    Outcome complaint = ingest(webhook("email.complained", ids.get("angry@example.com"), "angry@example.com", clock.instant(), Map.of()));
    assertEquals(1, assertInstanceOf(Outcome.Accepted.class, complaint).enrollmentsEnded());
    Outcome hard = ingest(webhook("email.bounced", ids.get("gone@example.com"), "gone@example.com", clock.instant(),
        Map.of("bounce", Map.of("type", "Permanent", "subType", "General", "message", "550 5.1.1 user unknown", "diagnosticCode", List.of("smtp; 550 5.1.1")))));
    assertEquals("suppressed", assertInstanceOf(Outcome.Accepted.class, hard).effect());
    Outcome soft = ingest(webhook("email.bounced", ids.get("full@example.com"), "full@example.com", clock.instant(),
        Map.of("bounce", Map.of("type", "Transient", "subType", "MailboxFull", "message", "452 4.2.2 mailbox full", "diagnosticCode", List.of()))));
    assertEquals("soft_bounce", assertInstanceOf(Outcome.Accepted.class, soft).effect());

    assertTrue(store.suppressionMatch("email", "angry@example.com").orElseThrow().contains("complaint"));
    assertTrue(store.suppressionMatch("email", "gone@example.com").orElseThrow().contains("hard bounce"));
    assertTrue(store.suppressionMatch("email", "full@example.com").isEmpty(), "a soft bounce is retried by the normal stage logic, not suppressed");
    assertEquals("opted_out", stageTwo("angry@example.com"));
    assertEquals("bounced", stageTwo("gone@example.com"));
    List<AuditLog.Entry> rows = AuditLog.of(store).newest(new AuditLog.Query(50, null, "engagement.suppress", null));
    assertEquals(2, rows.size());
    assertTrue(rows.stream().allMatch(r -> r.resourceId().startsWith("sha256:") && !r.payload().toString().contains("@")), rows.toString());

    clock.advance(Duration.ofDays(2));
    assertEquals(1, worker().pass(100).sent(), "only the soft bounce's enrollment goes on to stage 2");
    assertEquals(1, EngagementStore.of(store).counts(null).complaints());
  }

  @Test
  void aComplaintNamingNoUsableAddressSuppressesNothingOnAGuess() {
    Outcome o = ingest(webhook("email.complained", "re_unknown", "Dana <not an address>", clock.instant(), Map.of()));
    Outcome.Accepted a = assertInstanceOf(Outcome.Accepted.class, o);
    assertEquals("no_address", a.effect());
    assertEquals(null, a.enrollmentId());
    assertTrue(store.listSuppressions().isEmpty());
    assertEquals(1, EngagementStore.of(store).counts(null).unmatched());
  }
}
