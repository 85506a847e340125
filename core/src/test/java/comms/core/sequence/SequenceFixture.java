package comms.core.sequence;

import comms.core.approval.Approvals;
import comms.core.contract.Bindings;
import comms.core.delivery.Evidence;
import comms.core.delivery.GovernedSend;
import comms.core.delivery.ProviderDirectory;
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
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.SequenceStore;
import comms.core.store.StageSendStore;
import comms.core.store.Store;
import comms.core.store.StoreBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One outbox for the sequence and reply tests: its store, a clock the test moves, the sample
 * bindings, and the services of a sequence's life (service, enrollment, the governed path, the
 * worker) wired the way the CLI wires them. A test swaps {@link #providers} to see or refuse what is
 * dispatched, and {@link #bodies} to send snippet stages.
 */
public final class SequenceFixture implements AutoCloseable {
  public static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  /** Monday 10:00 in New York, inside the send window. */
  public static final Instant MONDAY_10_NY = Instant.parse("2026-12-07T15:00:00Z");
  /** The sample's admin operator. */
  public static final String DANA = "dana@lakesideprint.com";
  public static final String SAM = "sam@lakesideprint.com";

  public final Path outbox;
  public final Store store;
  public final MovableClock clock;
  public final List<String> notes = new ArrayList<>();
  /** How the governed path reaches a provider: the simulation unless a test sets another. */
  public ProviderDirectory providers = (provider, live) -> new SimulatedProvider(provider.name());
  /** The stages' texts; null sends templates only (a snippet stage is then refused). */
  public StageBodies bodies;
  /** The bindings the governed path previews with (a test may load a variant). */
  public Bindings bindings = BINDINGS;

  public SequenceFixture(Path outbox) {
    this(outbox, StoreBackend.SQLITE);
  }

  /** The fixture on {@code backend}'s engine (the store suite runs on SQLite and PostgreSQL). */
  public SequenceFixture(Path outbox, StoreBackend backend) {
    this.outbox = outbox;
    this.store = backend.open(new OutboxPaths(outbox).store());
    this.clock = new MovableClock(MONDAY_10_NY);
  }

  @Override
  public void close() {
    store.close();
  }

  public Roster roster() {
    return Roster.of(store, BINDINGS.operators());
  }

  public Identity as(String who) {
    return Identity.resolve(roster(), who, null, null, "tester");
  }

  public AuditTrail audit(String who) {
    return new AuditTrail(store, roster(), as(who), "run-test", clock);
  }

  public Approvals approvals() {
    return new Approvals(ApprovalStore.of(store), roster(), clock, Duration.ofHours(24));
  }

  public SequenceService service() {
    return new SequenceService(SequenceStore.of(store), EnrollmentStore.of(store), approvals(), SequenceRules.DEFAULTS, clock);
  }

  public Enrollment enrollment() {
    StageBodies b = bodies != null ? bodies : StageBodies.of(BINDINGS.templates(), null);
    return new Enrollment(store, EnrollmentStore.of(store), approvals(), b, SequenceRules.DEFAULTS, clock);
  }

  /** The governed path acting as {@code owner}: their caps, their audit rows. */
  public GovernedSend path(String owner) {
    OutboxPaths paths = new OutboxPaths(outbox);
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(bindings, store::consentState, store::suppressionMatch),
            bindings.providers(),
            bindings.operators(),
            providers,
            new Evidence(paths, DeliveryJournal.of(paths, notes::add), store, FaultPoint.NONE),
            SendCaps.of(store, roster()),
            audit(owner),
            clock,
            notes::add));
  }

  /** The operators' daily and per-minute caps as the roster keeps them. */
  public SequenceWorker.CapCheck caps() {
    return SequenceWorker.CapCheck.of(SendCaps.of(store, roster()), o -> {
      Roster.Operator op = roster().find(o).orElseThrow();
      return new int[] {op.dailyCap(), op.perMinuteCap()};
    });
  }

  /** A worker named {@code id} under {@code hours}, with the roster's caps and no engagement signals. */
  public SequenceWorker worker(String id, SendingHours hours) {
    return worker(id, hours, Engagement.NONE, caps(), ReplyWatch.NONE);
  }

  public SequenceWorker worker(String id, SendingHours hours, Engagement engagement, SequenceWorker.CapCheck caps, ReplyWatch watch) {
    return new SequenceWorker(
        new SequenceWorker.Parts(
            SequenceStore.of(store), EnrollmentStore.of(store), StageSendStore.of(store),
            new GovernedStageSender(this::path, store::consentState, clock, false, "run-test", bodies),
            plan -> hours, engagement, caps, clock, id, notes::add, watch));
  }

  /** Every delivery-log line, newest first. */
  public List<DeliveryRecord> log() {
    return DeliveryJournal.of(new OutboxPaths(outbox), notes::add).newest(10_000, DeliveryJournal.Filter.ALL).entries();
  }
}
