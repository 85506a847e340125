package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ProvidersContract;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.provider.SimulatedProvider;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.IdempotencyStore;
import comms.core.store.Store;
import comms.core.store.StoreBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21: hosts of a team share one store, each with its own outbox (delivery log, dispatch locks).
 * A send left in flight by a run on host A that died is taken over by a run on host B, whose log has
 * no line of it. The shared store is the authority: when it recorded the provider's answer, B
 * reconciles (writes the line into its own log, marks the key done) and sends nothing, even with
 * --retry-interrupted and through a provider that cannot de-duplicate; when A died before the answer
 * reached the store, B treats it as "may have been sent": held (exit 5) unless the provider
 * de-duplicates on the idempotency key, through which it goes again under the same key and delivery.
 */
class CrossHostTakeoverTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");

  @TempDir Path tmp;

  /** What reached the provider, over every host. */
  final List<Dispatch> dispatched = new CopyOnWriteArrayList<>();

  final Clock clock = Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC);
  final Approver yes = summary -> true;

  /** One host: its own outbox and its own connection to the team's store. */
  final class Host implements AutoCloseable {
    final OutboxPaths paths;
    final Store store;
    final TransactionalSend engine;

    Host(StoreBackend backend, String name, ProviderDirectory directory, FaultPoint faults) {
      paths = new OutboxPaths(tmp.resolve(name));
      store = backend.open(tmp.resolve("team/comms.db"));
      Previewer previewer = Previewer.from(BINDINGS, store::consentState, store::suppressionMatch);
      engine = new TransactionalSend(previewer, BINDINGS.providers(), directory, new Evidence(paths, DeliveryJournal.of(paths, w -> {}), store, faults), clock, n -> {});
    }

    List<DeliveryRecord> log() {
      return DeliveryJournal.of(paths, w -> {}).newest(100, DeliveryJournal.Filter.ALL).entries();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  /** A provider that records each dispatch and answers as the simulation does, or dies with no answer; {@code dedup}: whether it de-duplicates on the key. */
  ProviderDirectory provider(boolean dedup, boolean dies) {
    return new ProviderDirectory() {
      @Override
      public Provider provider(ProvidersContract.Provider p, boolean live) {
        SimulatedProvider simulated = new SimulatedProvider(p.name());
        return new Provider() {
          @Override
          public String name() {
            return p.name();
          }

          @Override
          public DispatchResult send(Dispatch d) {
            dispatched.add(d);
            if (dies) {
              // The request left; the host died before any answer came back.
              throw new IllegalStateException("host killed mid-dispatch");
            }
            return simulated.send(d);
          }
        };
      }

      @Override
      public boolean deduplicates(ProvidersContract.Provider p, boolean live) {
        return dedup; // Resend de-duplicates on the key; Twilio, Graph and Gmail do not
      }
    };
  }

  static FaultPoint killedAt(String point) {
    return name -> {
      if (name.equals(point)) {
        throw new IllegalStateException("host killed at " + point);
      }
    };
  }

  static TransactionalSend.Request send(String key, boolean retryInterrupted) {
    PreviewRequest p =
        new PreviewRequest(
            "email", "payment_needed", "pat@example.com", "opted-in",
            Map.of("customer_name", "Pat", "order_number", key, "balance_amount", "150.00", "payment_link", "https://example.com/pay"),
            NOON_CHICAGO, null, false);
    return new TransactionalSend.Request(p, key, true, retryInterrupted, "run-" + key, null);
  }

  @ParameterizedTest
  @MethodSource("comms.core.store.StoreBackend#all")
  void aSendTheStoreKnowsWentIsReconciledOnAnotherHostNeverSentAgain(StoreBackend backend) {
    for (String point : List.of(TransactionalSend.FAULT_AFTER_RECORDED, TransactionalSend.FAULT_AFTER_LOG)) {
      String key = "k-" + point.replace('.', '-');
      int before = dispatched.size();
      String sentAs;
      try (Host a = new Host(backend, "host-a", provider(false, false), killedAt(point))) {
        assertThrows(IllegalStateException.class, () -> a.engine.run(send(key, false), yes));
        sentAs = dispatched.get(dispatched.size() - 1).deliveryId();
        IdempotencyStore.IdempotencyEntry left = a.store.idempotency(key).orElseThrow();
        assertFalse(left.done(), "host A died before marking " + key + " done");
        assertEquals(sentAs, left.dispatched().orElseThrow().deliveryId(), "the store has the provider's answer");
        assertEquals(point.equals(TransactionalSend.FAULT_AFTER_LOG) ? 1 : 0, a.log().size(), "host A's own log");
      }
      try (Host b = new Host(backend, "host-b-" + key, provider(false, false), FaultPoint.NONE)) {
        assertTrue(b.log().isEmpty(), "host B's log has no line of it");
        // Even a person's --retry-interrupted does not send what the store knows went.
        TransactionalSend.Outcome o = b.engine.run(send(key, true), yes);
        assertEquals("duplicate", o.status(), o::toString);
        assertEquals(sentAs, o.deliveryId());
        assertEquals(ExitCode.OK, o.exit());
        assertEquals(before + 1, dispatched.size(), "reached the provider once, over both hosts (" + point + ")");
        List<DeliveryRecord> lines = b.log();
        assertEquals(1, lines.size(), "its line, written once into host B's log");
        assertEquals(sentAs, lines.get(0).deliveryId());
        assertEquals("simulated", lines.get(0).status());
        assertTrue(b.store.idempotency(key).orElseThrow().done());
        assertEquals("duplicate", b.engine.run(send(key, true), yes).status(), "and done for every later run");
        assertEquals(before + 1, dispatched.size());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("comms.core.store.StoreBackend#all")
  void aSendNoStoreAnswerSettlesIsHeldOnAnotherHostUnlessTheProviderDeduplicates(StoreBackend backend) {
    String claimedAs;
    try (Host a = new Host(backend, "host-a", provider(false, true), FaultPoint.NONE)) {
      assertThrows(IllegalStateException.class, () -> a.engine.run(send("k-mid", false), yes));
      claimedAs = a.store.idempotency("k-mid").orElseThrow().deliveryId();
      assertTrue(a.store.idempotency("k-mid").orElseThrow().dispatched().isEmpty(), "no answer reached the store");
    }
    assertEquals(1, dispatched.size());

    // Host B, through a provider that cannot de-duplicate (Twilio): held, as on one host, and still in flight.
    try (Host b = new Host(backend, "host-b", provider(false, false), FaultPoint.NONE)) {
      CommsException e = assertThrows(CommsException.class, () -> b.engine.run(send("k-mid", false), yes));
      assertEquals(ExitCode.PROVIDER, e.exitCode());
      assertTrue(e.getMessage().contains("it may have arrived") && e.getMessage().contains("another sharing the store"), e.getMessage());
      assertEquals(1, dispatched.size(), "never sent again on its own");
      assertFalse(b.store.idempotency("k-mid").orElseThrow().done());
      assertTrue(b.log().isEmpty(), "nothing was sent, so no line");
    }

    // Host C, through a provider that de-duplicates on the key (Resend): sent again under the same key and delivery.
    try (Host c = new Host(backend, "host-c", provider(true, false), FaultPoint.NONE)) {
      TransactionalSend.Outcome o = c.engine.run(send("k-mid", false), yes);
      assertEquals("simulated", o.status(), o::toString);
      assertEquals(2, dispatched.size());
      assertEquals("k-mid", dispatched.get(1).idempotencyKey(), "the provider sees the same key, so it delivers once");
      assertEquals(dispatched.get(0).idempotencyKey(), dispatched.get(1).idempotencyKey());
      assertEquals(claimedAs, dispatched.get(1).deliveryId(), "and the same delivery");
      assertTrue(c.store.idempotency("k-mid").orElseThrow().done());
    }
  }
}
