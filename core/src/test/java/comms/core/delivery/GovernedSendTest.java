package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.contract.Bindings;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.provider.ProviderException;
import comms.core.provider.SimulatedProvider;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.AuditLog;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governed path itself, without the CLI: caps, From, audit rows and sealed outcomes on the sample contracts. */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class GovernedSendTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");

  @TempDir Path outbox;
  Store store;
  final List<String> notes = new ArrayList<>();
  final List<String> asked = new ArrayList<>();

  @BeforeEach
  void open() {
    store = backend.open(new OutboxPaths(outbox).store());
  }

  @AfterEach
  void close() {
    store.close();
  }

  GovernedSend path(String operator, Clock clock) {
    return path(operator, clock, (provider, live) -> new SimulatedProvider(provider.name()), FaultPoint.NONE);
  }

  GovernedSend path(String operator, Clock clock, ProviderDirectory directory, FaultPoint faults) {
    OutboxPaths paths = new OutboxPaths(outbox);
    Roster roster = Roster.of(store, BINDINGS.operators());
    Identity who = Identity.resolve(roster, operator, null, null, "tester");
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(BINDINGS, store::consentState, store::suppressionMatch),
            BINDINGS.providers(),
            BINDINGS.operators(),
            directory,
            new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, faults),
            SendCaps.of(store, roster),
            new AuditTrail(store, roster, who, "run-test", clock),
            clock,
            notes::add));
  }

  static PreviewRequest email(String to, String number) {
    return new PreviewRequest(
        "email", "payment_needed", to, "opted-in",
        Map.of("customer_name", "Test", "order_number", number, "balance_amount", "150.00", "payment_link", "https://example.com/pay"),
        NOON_CHICAGO, null, false);
  }

  Approver answering(boolean yes) {
    return summary -> {
      asked.add(summary);
      return yes;
    };
  }

  static GovernedSend.Request execute(PreviewRequest p) {
    return new GovernedSend.Request(p, null, true, false, "run-test", "send.execute");
  }

  List<AuditLog.Entry> audit() {
    return AuditLog.of(store).newest(new AuditLog.Query(100, null, null, null));
  }

  @Test
  void aDryRunAsksNobodyAndWritesNothing() {
    SendOutcome o = path(null, Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC))
        .send(new GovernedSend.Request(email("pat@example.com", "1"), null, false, false, "run-test", "send.execute"), answering(true));
    assertInstanceOf(SendOutcome.DryRun.class, o);
    assertTrue(asked.isEmpty());
    assertFalse(new OutboxPaths(outbox).deliveryLog().toFile().exists());
    assertTrue(audit().isEmpty());
  }

  @Test
  void anApprovedSendIsSimulatedFromTheOperatorAndAuditedWithoutTheRecipient() {
    SendOutcome o = path("sam@lakesideprint.com", Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC)).send(execute(email("pat@example.com", "1")), answering(true));
    assertInstanceOf(SendOutcome.Simulated.class, o);
    assertEquals(ExitCode.OK, o.exit());
    assertTrue(asked.get(0).contains("from:            Sam Rivera <sam@lakesideprint.com>"), asked.get(0));
    List<AuditLog.Entry> rows = audit();
    assertEquals(1, rows.size());
    AuditLog.Entry row = rows.get(0);
    assertEquals("send.execute", row.action());
    assertEquals("sam@lakesideprint.com", row.owner());
    assertEquals("simulated", row.payload().get("outcome"));
    assertEquals(true, row.payload().get("from_operator"));
    assertFalse(row.payload().toString().contains("pat@example.com"), row.payload().toString());
    assertEquals(1, SendCaps.of(store, Roster.of(store, BINDINGS.operators())).usage("sam@lakesideprint.com", NOON_CHICAGO).today());
  }

  @Test
  void theSameMessageTwiceIsADuplicateAndCountsOnceAgainstTheCap() {
    GovernedSend path = path(null, Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC));
    path.send(execute(email("pat@example.com", "1")), answering(true));
    SendOutcome again = path.send(execute(email("pat@example.com", "1")), answering(true));
    assertInstanceOf(SendOutcome.Duplicate.class, again);
    assertEquals(1, asked.size(), "a duplicate asks nobody");
    assertEquals(1, SendCaps.of(store, Roster.of(store, BINDINGS.operators())).usage("dana@lakesideprint.com", NOON_CHICAGO).today());
  }

  @Test
  void aDeclinedSendIsRecordedAuditedAndTakesNoCapUnit() {
    SendOutcome o = path(null, Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC)).send(execute(email("pat@example.com", "1")), answering(false));
    assertInstanceOf(SendOutcome.Declined.class, o);
    assertEquals(ExitCode.DECLINED, o.exit());
    assertEquals("approval_declined", audit().get(0).payload().get("error"));
    assertEquals(0, SendCaps.of(store, Roster.of(store, BINDINGS.operators())).usage("dana@lakesideprint.com", NOON_CHICAGO).today());
  }

  @Test
  void aSuppressedRecipientIsBlockedBeforeAnyoneIsAsked() {
    store.addSuppression("domain", "example.com", "test", NOON_CHICAGO);
    SendOutcome o = path(null, Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC)).send(execute(email("pat@example.com", "1")), answering(true));
    assertInstanceOf(SendOutcome.Blocked.class, o);
    assertEquals(ExitCode.POLICY, o.exit());
    assertTrue(asked.isEmpty());
    assertEquals(List.of("suppression"), audit().get(0).payload().get("gates_failed"));
  }

  @Test
  void theMinuteCapRefusesTheSendOverItAndSaysSo() {
    Roster roster = Roster.of(store, BINDINGS.operators());
    roster.update("sam@lakesideprint.com", new Roster.Change(null, null, null, 1, null), NOON_CHICAGO);
    GovernedSend path = path("sam@lakesideprint.com", Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC));
    assertInstanceOf(SendOutcome.Simulated.class, path.send(execute(email("pat@example.com", "1")), answering(true)));
    SendOutcome over = path.send(execute(email("pat@example.com", "2")), answering(true));
    assertInstanceOf(SendOutcome.Failed.class, over);
    assertEquals(ExitCode.POLICY, over.exit());
    assertTrue(GovernedSend.explain("sam@lakesideprint.com", over).contains("per-minute"), GovernedSend.explain("sam@lakesideprint.com", over));
    DeliveryRecord last = DeliveryJournal.of(new OutboxPaths(outbox), notes::add).newest(1, DeliveryJournal.Filter.ALL).entries().get(0);
    assertEquals("failed", last.status());
  }

  // ------------------------------------------------------------------------------ a run that died (issue 12 item 9)

  /** Stands in for SIGKILL inside a dispatch: nothing after it runs, the claim stays in flight. */
  static final class Killed extends RuntimeException {}

  /** The provider dies with its process on the first call, then sends (or refuses, certainly not sent). */
  static ProviderDirectory diesOnceThen(boolean refuse, boolean deduplicates) {
    AtomicInteger calls = new AtomicInteger();
    return new ProviderDirectory() {
      @Override
      public Provider provider(ProvidersContract.Provider provider, boolean live) {
        return new Provider() {
          @Override
          public String name() {
            return provider.name();
          }

          @Override
          public DispatchResult send(Dispatch d) {
            if (calls.getAndIncrement() == 0) {
              throw new Killed();
            }
            if (refuse) {
              throw new ProviderException("failed", "422", "refused: invalid recipient", 1, false);
            }
            return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
          }
        };
      }

      @Override
      public boolean deduplicates(ProvidersContract.Provider provider, boolean live) {
        return deduplicates;
      }
    };
  }

  int usedToday() {
    return SendCaps.of(store, Roster.of(store, BINDINGS.operators())).usage("dana@lakesideprint.com", NOON_CHICAGO).today();
  }

  @Test
  void aSendReSentAfterItsRunDiedCountsOnceAgainstTheCap() {
    ProviderDirectory dir = diesOnceThen(false, true);
    Clock first = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
    assertThrows(Killed.class, () -> path(null, first, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true)));
    assertEquals(1, usedToday(), "the dead run took its unit");
    assertEquals(1, store.inFlight().size());

    Clock later = Clock.fixed(NOON_CHICAGO.plusSeconds(180), ZoneOffset.UTC);
    SendOutcome again = path(null, later, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true));
    assertInstanceOf(SendOutcome.Simulated.class, again);
    assertEquals(1, usedToday(), "one message, one unit: the re-send uses the unit the dead run took");
    assertEquals(0, SendCaps.of(store, Roster.of(store, BINDINGS.operators())).usage("dana@lakesideprint.com", later.instant()).thisMinute());
  }

  @Test
  void aRetryInterruptedAfterADeadRunCountsOnce() {
    ProviderDirectory dir = diesOnceThen(false, false);
    Clock clock = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
    assertThrows(Killed.class, () -> path(null, clock, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true)));
    CommsException held = assertThrows(CommsException.class, () -> path(null, clock, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true)));
    assertEquals(ExitCode.PROVIDER, held.exitCode());
    assertEquals(1, usedToday());
    SendOutcome retried =
        path(null, clock, dir, FaultPoint.NONE)
            .send(new GovernedSend.Request(email("pat@example.com", "1"), null, true, true, "run-test", "send.execute"), answering(true));
    assertInstanceOf(SendOutcome.Simulated.class, retried);
    assertEquals(1, usedToday());
  }

  @Test
  void aRunThatDiedBeforeTakingItsUnitLeavesTheReSendToTakeOne() {
    FaultPoint killedAfterClaim =
        name -> {
          if (name.equals(TransactionalSend.FAULT_AFTER_CLAIM)) {
            throw new Killed();
          }
        };
    Clock clock = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
    ProviderDirectory sim = (provider, live) -> new SimulatedProvider(provider.name());
    assertThrows(Killed.class, () -> path(null, clock, sim, killedAfterClaim).send(execute(email("pat@example.com", "1")), answering(true)));
    assertEquals(0, usedToday());
    assertInstanceOf(SendOutcome.Simulated.class, path(null, clock, sim, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true)));
    assertEquals(1, usedToday());
  }

  @Test
  void theUnitADeadRunTookIsGivenBackWhenItsReSendIsCertainlyNotMade() {
    ProviderDirectory dir = diesOnceThen(true, true);
    Clock clock = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
    assertThrows(Killed.class, () -> path(null, clock, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true)));
    assertEquals(1, usedToday());
    SendOutcome refused = path(null, clock, dir, FaultPoint.NONE).send(execute(email("pat@example.com", "1")), answering(true));
    assertInstanceOf(SendOutcome.Failed.class, refused);
    assertEquals(0, usedToday(), "nothing was sent, nothing counts");
  }
}
