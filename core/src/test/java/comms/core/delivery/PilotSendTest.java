package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.StackContract;
import comms.core.mail.SendTest;
import comms.core.mail.SimulatedMailbox;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.store.AuditLog;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.SendPacing;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governed pilot send-test without the CLI: sender choice and permission, caps and audit rows on the sample contracts. */
class PilotSendTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final StackContract STACK = BINDINGS.stack();
  static final Instant AT = Instant.parse("2026-11-23T18:00:00Z");
  static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
  static final String TO = "qa.inbox@example.net";

  @TempDir Path outbox;
  Store store;
  Roster roster;
  final List<String> notes = new ArrayList<>();

  @BeforeEach
  void open() {
    store = Store.at(new OutboxPaths(outbox).store());
    roster = Roster.of(store, BINDINGS.operators());
  }

  @AfterEach
  void close() {
    store.close();
  }

  GovernedSend.PilotOutcome send(String operator, String from, boolean execute, boolean yes) {
    OutboxPaths paths = new OutboxPaths(outbox);
    Identity who = Identity.resolve(roster, operator, null, null, "tester");
    GovernedSend governed = GovernedSend.pilot(SendCaps.of(store, roster), new AuditTrail(store, roster, who, "run-test", CLOCK), CLOCK);
    Evidence evidence = new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE);
    SendTest.LiveMailer never = (f, t, s, b, d) -> {
      throw new AssertionError("simulation never sends live");
    };
    return governed.sendTest(
        new GovernedSend.PilotRequest(from, TO, "pilot", "hello", execute, "run-test"),
        STACK,
        () -> new SendTest(STACK, "graph", evidence, SimulatedMailbox.in(paths), never, CLOCK),
        summary -> yes);
  }

  /** An executed send-test as {@code operator} on {@code clock}, paced at the mailbox provider's rate by a pacer that moves the clock. */
  GovernedSend.PilotOutcome sendPaced(String operator, GovernedSendRateTest.SteppedClock clock) {
    OutboxPaths paths = new OutboxPaths(outbox);
    Identity who = Identity.resolve(roster, operator, null, null, "tester");
    GovernedSend governed =
        GovernedSend.pilot(SendCaps.of(store, roster), new AuditTrail(store, roster, who, "run-test", clock), clock, BINDINGS.providers(), SendPacing.of(store))
            .pacer(
                new Pacer() {
                  @Override
                  public boolean paces() {
                    return true;
                  }

                  @Override
                  public void waitUntil(Instant slot) {
                    if (slot.isAfter(clock.now)) {
                      clock.now = slot;
                    }
                  }
                });
    Evidence evidence = new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE);
    return governed.sendTest(
        new GovernedSend.PilotRequest(null, TO, "pilot", "hello", true, "run-" + clock.now),
        STACK,
        () -> new SendTest(STACK, "graph", evidence, SimulatedMailbox.in(paths), (f, t, su, b, d) -> "never", clock),
        summary -> true);
  }

  @Test
  void sendTestsFromOneGraphMailboxAreSpacedAt98PercentOfThirtyAMinuteAndOtherMailboxesAreNot() {
    GovernedSendRateTest.SteppedClock clock = new GovernedSendRateTest.SteppedClock(AT);
    Duration spacing = Duration.ofMillis(2041); // 60 s / 30 × 50/49, rounded up to the millisecond
    assertEquals(spacing, GovernedSend.spacing(BINDINGS.providers().provider("graph").orElseThrow().rate()));
    List<Instant> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertEquals("simulated", sendPaced("dana@lakesideprint.com", clock).detail().status());
      sent.add(clock.now);
    }
    assertEquals(List.of(AT, AT.plus(spacing), AT.plus(spacing.multipliedBy(2)), AT.plus(spacing.multipliedBy(3))), sent);
    // Sam's own mailbox (proofs@) is another scope: it goes at once.
    Instant before = clock.now;
    assertEquals("proofs@lakesideprint.com", sendPaced("sam@lakesideprint.com", clock).detail().from());
    assertEquals(before, clock.now);
  }

  @Test
  void aMailboxRateBookedTooFarAheadRefusesTheSendTestWithASentenceAndTakesNoCap() {
    GovernedSendRateTest.SteppedClock clock = new GovernedSendRateTest.SteppedClock(AT);
    // Other runs have booked orders@'s Graph budget five minutes ahead (more than two one-minute windows).
    SendPacing.of(store).reserve("graph:orders@lakesideprint.com", 150, Duration.ofSeconds(2), AT, Duration.ofHours(1));
    GovernedSend.PilotOutcome o = sendPaced("dana@lakesideprint.com", clock);
    assertEquals("failed", o.detail().status());
    assertEquals(ExitCode.POLICY, o.detail().exit());
    // It may try again once the booking is within two windows of 30 sends at 2041 ms: 300 s - 122.46 s.
    assertEquals(GovernedSend.RATE_LIMITED + ":2026-11-23T18:02:57.540Z", o.capRefusal());
    String why = GovernedSend.explainRefusal("dana@lakesideprint.com", o.capRefusal());
    assertTrue(why.contains("booked by other sends until 2026-11-23T18:02:57.540Z") && why.contains("nothing was sent"), why);
    assertEquals(AT, clock.now, "it did not wait");
    assertEquals(0, SendCaps.of(store, roster).usage("dana@lakesideprint.com", AT).today());
  }

  List<AuditLog.Entry> rows() {
    return AuditLog.of(store).newest(new AuditLog.Query(100, null, null, null));
  }

  @Test
  void aDryRunPicksTheOperatorsOwnMailboxAndWritesNothing() {
    GovernedSend.PilotOutcome o = send("sam@lakesideprint.com", null, false, true);
    assertEquals("dry-run", o.detail().status());
    assertEquals("proofs@lakesideprint.com", o.detail().from());
    assertNull(o.capRefusal());
    assertTrue(rows().isEmpty());
    assertEquals(0, SendCaps.of(store, roster).usage("sam@lakesideprint.com", AT).today());
  }

  @Test
  void anExecutedSendTakesACapUnitAndLeavesOneAuditRowWithTheRecipientHashed() {
    GovernedSend.PilotOutcome o = send("dana@lakesideprint.com", null, true, true);
    assertEquals("simulated", o.detail().status());
    assertEquals("orders@lakesideprint.com", o.detail().from());
    assertEquals(1, SendCaps.of(store, roster).usage("dana@lakesideprint.com", AT).today());
    List<AuditLog.Entry> rows = rows();
    assertEquals(1, rows.size());
    AuditLog.Entry e = rows.get(0);
    assertEquals("mail.send.test", e.action());
    assertEquals(o.detail().deliveryId(), e.resourceId());
    assertEquals("simulated", e.payload().get("outcome"));
    assertEquals(AuditTrail.hash(TO), e.payload().get("recipient_sha256"));
  }

  @Test
  void aDeclineTakesNoCapAndIsAudited() {
    GovernedSend.PilotOutcome o = send("dana@lakesideprint.com", null, true, false);
    assertEquals(ExitCode.DECLINED, o.detail().exit());
    assertEquals(0, SendCaps.of(store, roster).usage("dana@lakesideprint.com", AT).today());
    assertEquals("approval_declined", rows().get(0).payload().get("error"));
  }

  @Test
  void anotherOperatorsMailboxIsRefusedAuditedOnlyWhenExecuting() {
    CommsException dry = assertThrows(CommsException.class, () -> send("sam@lakesideprint.com", "orders@lakesideprint.com", false, true));
    assertEquals(ExitCode.POLICY, dry.exitCode());
    assertTrue(dry.getMessage().contains("belongs to dana@lakesideprint.com") && dry.getMessage().endsWith("(dry run: nothing was written)"), dry.getMessage());
    assertTrue(rows().isEmpty());
    assertThrows(CommsException.class, () -> send("sam@lakesideprint.com", "orders@lakesideprint.com", true, true));
    assertEquals("other_operator", rows().get(0).payload().get("error"));
    assertEquals(0, SendCaps.of(store, roster).usage("sam@lakesideprint.com", AT).today());
  }

  @Test
  void thePilotPathDoesNotSendTransactionalMessages() {
    GovernedSend governed =
        GovernedSend.pilot(
            SendCaps.of(store, roster),
            new AuditTrail(store, roster, Identity.resolve(roster, "dana@lakesideprint.com", null, null, "tester"), "run-test", CLOCK),
            CLOCK);
    assertThrows(IllegalStateException.class, () -> governed.send(new GovernedSend.Request(GovernedSendTest.email("a@example.com", "1"), null, false, false, "r", "send.execute"), s -> true));
  }
}
