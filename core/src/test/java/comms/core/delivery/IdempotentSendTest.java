package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ChildJvm;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.DeliveryContract;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.provider.SimulatedProvider;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 6: an idempotency key means one message, for a window, and identical runs at once send it once. */
class IdempotentSendTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");

  @TempDir Path outbox;
  Store store;
  final MovingClock clock = new MovingClock(NOON_CHICAGO);
  final List<String> notes = new CopyOnWriteArrayList<>();
  final List<String> asked = new CopyOnWriteArrayList<>();
  final CountDownLatch waiting = new CountDownLatch(1);

  @BeforeEach
  void open() {
    store = Store.at(new OutboxPaths(outbox).store());
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A clock a test moves forward by hand (the days between two sends). */
  static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  void note(String n) {
    notes.add(n);
    if (n.contains("waiting up to")) {
      waiting.countDown();
    }
  }

  TransactionalSend engine(int windowHours, ProviderDirectory directory) {
    DeliveryContract d = BINDINGS.delivery();
    DeliveryContract windowed =
        new DeliveryContract(d.source(), d.mode(), d.modeSource(), d.messageTypes(), d.retry(), new DeliveryContract.Idempotency(windowHours));
    Previewer previewer =
        new Previewer(windowed, BINDINGS.providers(), BINDINGS.templates(), BINDINGS.policy(), store::consentState, store::suppressionMatch);
    OutboxPaths paths = new OutboxPaths(outbox);
    return new TransactionalSend(
        previewer, BINDINGS.providers(), directory, new Evidence(paths, DeliveryJournal.of(paths, this::note), store, FaultPoint.NONE), clock,
        this::note);
  }

  TransactionalSend engine() {
    return engine(24, (provider, live) -> new SimulatedProvider(provider.name()));
  }

  static PreviewRequest email(String to, String number) {
    return new PreviewRequest(
        "email", "payment_needed", to, "opted-in",
        Map.of("customer_name", "Test", "order_number", number, "balance_amount", "150.00", "payment_link", "https://example.com/pay"),
        NOON_CHICAGO, null, false);
  }

  static TransactionalSend.Request execute(PreviewRequest p, String key) {
    return new TransactionalSend.Request(p, key, true, false, "run-test", null);
  }

  final Approver yes =
      summary -> {
        asked.add(summary);
        return true;
      };

  List<DeliveryRecord> log() {
    return DeliveryJournal.of(new OutboxPaths(outbox), w -> {}).newest(100, DeliveryJournal.Filter.ALL).entries();
  }

  // ------------------------------------------------------------------------------ one key, one message

  @Test
  void theSameKeyWithOtherContentIsRefusedNamingTheDeliveryThatHoldsIt() {
    TransactionalSend t = engine();
    TransactionalSend.Outcome first = t.run(execute(email("pat@example.com", "1"), "reminder-pat"), yes);
    assertEquals("simulated", first.status());
    clock.advance(Duration.ofHours(2));

    CommsException e = assertThrows(CommsException.class, () -> t.run(execute(email("pat@example.com", "2"), "reminder-pat"), yes));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("idempotency key reminder-pat already belongs to another message"), e.getMessage());
    assertTrue(e.getMessage().contains("delivery " + first.deliveryId() + ", sent (simulated) at 2026-11-23T18:00:00Z"), e.getMessage());
    assertTrue(e.getMessage().contains("free again after 2026-11-24T18:00:00Z"), e.getMessage());
    assertTrue(e.getMessage().contains("new --idempotency-key"), e.getMessage());
    CommsException other = assertThrows(CommsException.class, () -> t.run(execute(email("sam@example.com", "1"), "reminder-pat"), yes));
    assertEquals(ExitCode.USAGE, other.exitCode(), "another recipient is another message");
    assertEquals(1, asked.size(), "refused before anyone is asked");
    assertEquals(1, log().size(), "a refusal writes nothing");
  }

  @Test
  void aKeyClaimedForOtherContentAndNotFinishedIsRefusedToo() {
    store.claim("reminder-pat", "dlv_elsewhere", "0".repeat(64), NOON_CHICAGO.minusSeconds(60), null);
    CommsException e = assertThrows(CommsException.class, () -> engine().run(execute(email("pat@example.com", "1"), "reminder-pat"), yes));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("delivery dlv_elsewhere, claimed at 2026-11-23T17:59:00Z and not finished"), e.getMessage());
    assertEquals(List.of(), log());
    assertEquals("dlv_elsewhere", store.idempotency("reminder-pat").orElseThrow().deliveryId(), "the claim is left as it was");
  }

  @Test
  void aKeyIsADuplicateWithinItsWindowAndFreeForTheSameReminderAfterIt() {
    TransactionalSend t = engine();
    TransactionalSend.Outcome first = t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes);
    clock.advance(Duration.ofHours(23));
    TransactionalSend.Outcome dup = t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes);
    assertEquals("duplicate", dup.status());
    assertEquals(first.deliveryId(), dup.deliveryId());
    assertTrue(dup.note().contains("until 2026-11-24T18:00:00Z"), dup.note());

    clock.advance(Duration.ofHours(2));
    TransactionalSend.Outcome again = t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes);
    assertEquals("simulated", again.status(), "an expired done key no longer makes a duplicate");
    assertNotEquals(first.deliveryId(), again.deliveryId());
    assertEquals("duplicate", t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes).status(), "and the key now holds the new send");
    assertEquals(2, log().stream().filter(r -> r.status().equals("simulated")).count());

    clock.advance(Duration.ofDays(30));
    assertEquals("simulated", t.run(execute(email("pat@example.com", "7"), "monthly-pat"), yes).status(), "after its window a key may carry new content");
  }

  @Test
  void theWindowComesFromTheDeliveryContract() {
    TransactionalSend t = engine(720, (provider, live) -> new SimulatedProvider(provider.name()));
    t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes);
    clock.advance(Duration.ofDays(29));
    assertEquals("duplicate", t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes).status());
    clock.advance(Duration.ofDays(2));
    assertEquals("simulated", t.run(execute(email("pat@example.com", "1"), "monthly-pat"), yes).status());
  }

  @Test
  void aDerivedKeyCoversTheSubjectAndHtmlSoEitherChangedIsAnotherMessage() {
    comms.core.send.Preview p = engine().run(new TransactionalSend.Request(email("pat@example.com", "1"), null, false, false, "r", null), yes).preview();
    comms.core.send.Preview otherSubject =
        new comms.core.send.Preview(
            p.verdict(), p.live(), p.channel(), p.messageType(), p.provider(), p.templateId(), p.to(), p.subject() + "!", p.body(), p.html(),
            p.sms(), p.consentState(), p.gates(), p.nextAllowedAt(), p.undeclaredVars(), p.recipientZones());
    comms.core.send.Preview otherHtml =
        new comms.core.send.Preview(
            p.verdict(), p.live(), p.channel(), p.messageType(), p.provider(), p.templateId(), p.to(), p.subject(), p.body(), p.html() + " ",
            p.sms(), p.consentState(), p.gates(), p.nextAllowedAt(), p.undeclaredVars(), p.recipientZones());
    assertNotEquals(TransactionalSend.derivedKey(p), TransactionalSend.derivedKey(otherSubject));
    assertNotEquals(TransactionalSend.derivedKey(p), TransactionalSend.derivedKey(otherHtml));
    assertNotEquals(IdempotencyKey.contentHash(p), IdempotencyKey.contentHash(otherSubject));
    assertNotEquals(IdempotencyKey.contentHash(p), IdempotencyKey.contentHash(otherHtml));
    // An SMS (no subject, no HTML) keeps the key it always had, so sends in flight across an upgrade still reconcile.
    comms.core.send.Preview sms =
        new comms.core.send.Preview(
            p.verdict(), p.live(), "sms", p.messageType(), p.provider(), p.templateId(), "+13125550142", null, "Hi", null,
            p.sms(), p.consentState(), p.gates(), p.nextAllowedAt(), p.undeclaredVars(), p.recipientZones());
    assertEquals(comms.core.outbox.Sha256.hex("sms\npayment_needed\n+13125550142\nHi"), TransactionalSend.derivedKey(sms));
  }

  @Test
  void aSendWhoseLineLostOnlyItsNewlineIsReconciledNotSentAgain() throws Exception {
    OutboxPaths paths = new OutboxPaths(outbox);
    Previewer previewer = Previewer.from(BINDINGS, store::consentState, store::suppressionMatch);
    FaultPoint killedAfterLog =
        name -> {
          if (name.equals(TransactionalSend.FAULT_AFTER_LOG)) {
            throw new IllegalStateException("killed");
          }
        };
    TransactionalSend dying =
        new TransactionalSend(previewer, BINDINGS.providers(), (p, live) -> new SimulatedProvider(p.name()),
            new Evidence(paths, DeliveryJournal.of(paths, this::note), store, killedAfterLog), clock, this::note);
    assertThrows(IllegalStateException.class, () -> dying.run(execute(email("pat@example.com", "1"), "k-newline"), yes));
    String log = java.nio.file.Files.readString(paths.deliveryLog());
    java.nio.file.Files.writeString(paths.deliveryLog(), log.substring(0, log.length() - 1));
    String sentAs = log().get(0).deliveryId();

    TransactionalSend.Outcome next = engine().run(execute(email("pat@example.com", "1"), "k-newline"), yes);
    assertEquals("duplicate", next.status(), next::toString);
    assertEquals(sentAs, next.deliveryId(), "found in the log, reconciled");
    assertEquals(log.substring(0, log.length() - 1), java.nio.file.Files.readString(paths.deliveryLog()), "the record was kept as it was");
    assertEquals(1, log().size());
    assertEquals(ExitCode.OK, next.exit());
  }

  // ------------------------------------------------------------------------------ identical runs at once

  /** A provider that holds its first dispatch until the test lets it go. */
  static final class HoldingProvider implements Provider {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "resend";
    }

    @Override
    public DispatchResult send(comms.core.provider.Dispatch d) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
    }
  }

  @Test
  void identicalRunsAtTheSameMomentWaitForTheFirstAndReportItsDelivery() throws Exception {
    HoldingProvider provider = new HoldingProvider();
    TransactionalSend first = engine(24, (p, live) -> provider);
    TransactionalSend second = engine(24, (p, live) -> provider);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<TransactionalSend.Outcome> a = pool.submit(() -> first.run(execute(email("pat@example.com", "1"), "race"), yes));
      assertTrue(provider.entered.await(60, TimeUnit.SECONDS));
      Future<TransactionalSend.Outcome> b = pool.submit(() -> second.run(execute(email("pat@example.com", "1"), "race"), yes));
      assertTrue(waiting.await(60, TimeUnit.SECONDS), "the second run waits: " + notes);
      provider.release.countDown();
      TransactionalSend.Outcome won = a.get(60, TimeUnit.SECONDS);
      TransactionalSend.Outcome late = b.get(60, TimeUnit.SECONDS);
      assertEquals("simulated", won.status());
      assertEquals("duplicate", late.status(), late::toString);
      assertEquals(ExitCode.OK, late.exit());
      assertEquals(won.deliveryId(), late.deliveryId());
      assertEquals(1, provider.calls.get());
      assertEquals(List.of("simulated"), log().stream().map(DeliveryRecord::status).toList(), "no blocked line");
    } finally {
      provider.release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aFirstRunStillDispatchingAfterTheBoundLeavesTheLaterOneBlockedAsBefore() throws Exception {
    HoldingProvider provider = new HoldingProvider();
    TransactionalSend first = engine(24, (p, live) -> provider);
    TransactionalSend second = engine(24, (p, live) -> provider).waitForOtherRun(Duration.ofMillis(300));
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      Future<TransactionalSend.Outcome> a = pool.submit(() -> first.run(execute(email("pat@example.com", "1"), "race"), yes));
      assertTrue(provider.entered.await(60, TimeUnit.SECONDS));
      TransactionalSend.Outcome late = second.run(execute(email("pat@example.com", "1"), "race"), yes);
      assertEquals("blocked", late.status());
      assertEquals(ExitCode.POLICY, late.exit());
      assertTrue(late.note().contains("another run is dispatching this message"), late.note());
      provider.release.countDown();
      assertEquals("simulated", a.get(60, TimeUnit.SECONDS).status());
      assertEquals(List.of("simulated", "blocked"), log().stream().map(DeliveryRecord::status).toList());
    } finally {
      provider.release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void twoProcessesSendingTheSameMessageAtOnceSendItOnceAndTheLaterReportsTheFirstsDelivery() throws Exception {
    String bindings = Path.of("..", "bindings").toAbsolutePath().normalize().toString();
    Process first = ChildJvm.start(SendOnceMain.class, outbox, bindings, outbox.toString(), "race", "hold");
    Process second = null;
    try {
      java.io.BufferedReader a = reader(first);
      String seen = untilLine(a, "dispatching");
      assertEquals("dispatching", seen, "the first process reached its provider");
      second = ChildJvm.start(SendOnceMain.class, outbox, bindings, outbox.toString(), "race", "plain");
      java.io.BufferedReader b = reader(second);
      String waitingLine = untilLine(b, "waiting up to");
      assertTrue(waitingLine != null && waitingLine.contains("waiting up to"), "the second process waits for the first");
      first.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      first.getOutputStream().flush();
      String[] won = untilLine(a, "outcome ").split(" ");
      String[] late = untilLine(b, "outcome ").split(" ");
      assertEquals(List.of("outcome", "simulated", won[2], "0"), List.of(won));
      assertEquals(List.of("outcome", "duplicate", won[2], "0"), List.of(late), "the later run reports the first's delivery, exit 0");
      assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS));
      assertEquals(List.of("simulated"), log().stream().map(DeliveryRecord::status).toList(), "one line, no blocked line");
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
      }
    }
  }

  static java.io.BufferedReader reader(Process p) {
    return new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The first line holding {@code text} (lines before it are passed over), or the whole output so far when the process ends first. */
  static String untilLine(java.io.BufferedReader r, String text) throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (line.contains(text)) {
        return line;
      }
      all.append(line).append('\n');
    }
    throw new AssertionError("the process ended before printing '" + text + "':\n" + all);
  }
}
