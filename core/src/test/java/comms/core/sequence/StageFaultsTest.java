package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.ProvidersContract;
import comms.core.delivery.ProviderDirectory;
import comms.core.outbox.DeliveryRecord;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.LiveFixtures;
import comms.core.provider.Provider;
import comms.core.provider.RetryPolicy;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider faults as the worker meets them, per recipient and stage: Resend's 429 is retried with
 * growing, jittered waits and then dead-lettered with its error_message; any other 4xx fails at once
 * with the provider's error; a send whose outcome is unknown (the worker died mid-dispatch, the
 * provider cannot de-duplicate) is reported and never sent again on its own.
 */
class StageFaultsTest {
  static final String DANA = SequenceFixture.DANA;

  @TempDir Path outbox;
  SequenceFixture f;
  MockWebServer server;
  final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

  @BeforeEach
  void open() throws Exception {
    f = new SequenceFixture(outbox);
    server = new MockWebServer();
    server.start();
    f.providers = (provider, live) -> rec.live().provider(LiveFixtures.resend("http://127.0.0.1:" + server.getPort()));
  }

  @AfterEach
  void close() {
    f.close();
    server.close();
  }

  SequenceRow launched() {
    SequenceRow seq = f.service().create(f.as(DANA), new SequenceService.Draft("Faults", null, SequenceLifeTest.plan()), f.audit(DANA));
    f.enrollment().add(f.as(DANA), seq, List.of(SequenceLifeTest.row(2, "maria.gomez@example.org", null)), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    return seq;
  }

  static MockResponse error(int status, String name, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body("{\"statusCode\":" + status + ",\"name\":\"" + name + "\",\"message\":\"" + message + "\"}")
        .build();
  }

  StageSendStore.StageSendRow stage1(SequenceRow seq) {
    return StageSendStore.of(f.store).inSequence(seq.id()).get(0);
  }

  @Test
  void fourTwentyNineIsRetriedWithGrowingWaitsThenDeadLetteredWithItsErrorMessage() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(error(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second."));
    }
    SequenceRow seq = launched();

    SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(10);

    assertEquals(5, server.getRequestCount(), "five attempts, as the delivery contract allows");
    List<Duration> waits = rec.waits.stream().map(RetryPolicy.Wait::delay).toList();
    assertEquals(4, waits.size(), rec.waits.toString());
    for (int i = 1; i < waits.size(); i++) {
      assertTrue(waits.get(i).compareTo(waits.get(i - 1)) > 0, "exponential backoff: " + waits);
    }
    assertEquals(rec.slept, waits, "the waits were slept (recorded here), not skipped");
    assertEquals(1, s.problems().size(), s.toString());
    assertEquals("dead_letter", s.problems().get(0).status());
    assertTrue(s.problems().get(0).error().contains("You can only make 2 requests per second"), s.problems().get(0).error());
    StageSendStore.StageSendRow row = stage1(seq);
    assertEquals("dead_letter", row.state());
    assertEquals(5, row.attempts());
    assertTrue(row.errorMessage().contains("rate_limit_exceeded"), row.errorMessage());
    DeliveryRecord line = f.log().get(0);
    assertEquals("dead_letter", line.status());
    assertEquals(seq.id(), line.sequenceId());
    assertEquals("stopped", EnrollmentStore.of(f.store).inSequence(seq.id()).get(0).state(), "a dead-lettered stage ends the enrollment");
    assertTrue(f.notes.stream().anyMatch(n -> n.contains("dead-lettered after 5 attempts")), "and the worker says so: " + f.notes);
  }

  @Test
  void anotherClientErrorFailsAtOnceWithTheProvidersError() throws Exception {
    server.enqueue(error(422, "validation_error", "The `to` field must be a valid email address."));
    SequenceRow seq = launched();

    SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(10);

    assertEquals(1, server.getRequestCount(), "a 4xx other than 429 is not retried");
    assertEquals("failed", s.problems().get(0).status());
    assertTrue(s.problems().get(0).error().contains("must be a valid email address"), s.problems().get(0).error());
    assertEquals("failed", stage1(seq).state());
    assertEquals("failed", f.log().get(0).status());
    assertEquals(1, s.failed());
  }

  @Test
  void aSendOfUnknownOutcomeIsReportedAndNotSentAgain() {
    AtomicInteger requests = new AtomicInteger();
    f.providers = new ProviderDirectory() {
      @Override
      public Provider provider(ProvidersContract.Provider p, boolean live) {
        return new Provider() {
          @Override
          public String name() {
            return p.name();
          }

          @Override
          public DispatchResult send(Dispatch d) {
            requests.incrementAndGet();
            // The request left; the worker died before any answer came back.
            throw new IllegalStateException("worker killed mid-dispatch");
          }
        };
      }

      @Override
      public boolean deduplicates(ProvidersContract.Provider p, boolean live) {
        return false; // a provider that cannot de-duplicate, like Twilio
      }
    };
    SequenceRow seq = launched();
    assertThrows(IllegalStateException.class, () -> f.worker("w1", SendingHours.ALWAYS).pass(10));
    assertEquals(1, requests.get());

    // Another worker, after the dead one's claim lapsed, finds the send in flight with no log line.
    f.clock.advance(SequenceWorker.CLAIM_FOR.plusMinutes(1));
    SequenceWorker.Summary s = f.worker("w2", SendingHours.ALWAYS).pass(10);

    assertEquals(1, requests.get(), "never sent again blindly");
    assertEquals(0, s.sent());
    assertEquals(1, s.problems().size(), s.toString());
    assertEquals("unknown", s.problems().get(0).status());
    assertTrue(s.problems().get(0).error().contains("it may have arrived"), s.problems().get(0).error());
    assertEquals("unknown", stage1(seq).state());
    f.clock.advance(Duration.ofDays(7));
    assertEquals(0, f.worker("w3", SendingHours.ALWAYS).pass(10).sent());
    assertEquals(1, requests.get(), "a week later, still not retried: a person decides");
  }
}
