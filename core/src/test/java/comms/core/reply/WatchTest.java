package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import comms.core.provider.SlackWebhook;
import comms.core.sequence.SequenceService;
import comms.core.sequence.SequenceWorker;
import comms.core.store.ReplyStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The owners' reply watches: later stages wait while one is stale, launch is refused, and a stale one alerts once per incident. */
class WatchTest extends ReplyFlowTest {
  @Test
  void anUnhealthyWatchDefersLaterStagesAndAlertsOnceThenRecovers() throws Exception {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    sync().sync(DANA, true);
    Watches w = watches();
    assertTrue(w.health(DANA, clock.instant()).healthy());
    try (MockWebServer slack = new MockWebServer()) {
      slack.start();
      for (int i = 0; i < 3; i++) {
        slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
      }
      WatchAlerts alerts = new WatchAlerts(ReplyStore.of(store), w, Duration.ofMinutes(10), new SlackWebhook(slack.url("/services/T000/B000/XXXX").toString())::post, notes::add);
      // Stage 2 is due three days later; nobody has synced since.
      advance(Duration.ofDays(3));
      SequenceWorker.Summary s = worker(w).pass(100);
      assertEquals(0, s.sent());
      assertEquals("watch", s.deferred().get(0).reason());
      assertEquals(clock.instant().plus(SequenceWorker.WATCH_RETRY), s.deferred().get(0).until());
      assertEquals("watch", enrollment(seq, "maria@example.com").reason());
      // Unhealthy for days: one alert, however many checks.
      List<WatchAlerts.Sent> first = alerts.check(clock.instant());
      assertEquals(1, first.size());
      assertEquals("alert", first.get(0).kind());
      advance(Duration.ofMinutes(5));
      assertEquals(List.of(), alerts.check(clock.instant()), "one alert per incident");
      RecordedRequest posted = slack.takeRequest();
      assertEquals("POST", posted.getMethod());
      String text = (String) Json.parseObject(posted.getBody().utf8()).get("text");
      assertTrue(text.contains(DANA) && text.contains("unhealthy for 71 hours 50 minutes"), text);
      // The watch comes back: a recovery message, and the stage goes on its next try.
      sync().sync(DANA, true);
      List<WatchAlerts.Sent> back = alerts.check(clock.instant());
      assertEquals(List.of("recovery"), back.stream().map(WatchAlerts.Sent::kind).toList());
      assertTrue(((String) Json.parseObject(slack.takeRequest().getBody().utf8()).get("text")).contains("healthy again"));
      assertEquals(List.of(), alerts.check(clock.instant()));
      assertEquals(2, slack.getRequestCount());
      advance(SequenceWorker.WATCH_RETRY);
      sync().sync(DANA, true);
      assertEquals(1, worker(w).pass(100).sent());
      notes.forEach(n -> assertFalse(n.contains("XXXX"), "the webhook URL is a secret: " + n));
    }
  }

  @Test
  void noAlertBeforeTheWatchHasBeenUnhealthyForTheContractsMinutes() {
    sync().sync(DANA, true);
    WatchAlerts alerts = new WatchAlerts(ReplyStore.of(store), watches(), Duration.ofMinutes(10), t -> { throw new AssertionError("posted: " + t); }, notes::add);
    advance(Duration.ofMinutes(15));
    assertEquals(List.of(), alerts.check(clock.instant()), "stale for 5 minutes only");
    assertEquals(clock.instant().minus(Duration.ofMinutes(5)), ReplyStore.of(store).watch(DANA).orElseThrow().incidentSince());
  }

  @Test
  void anAlertSlackRefusedIsTriedAgainNextCheck() throws Exception {
    sync().sync(DANA, true);
    try (MockWebServer slack = new MockWebServer()) {
      slack.start();
      slack.enqueue(new MockResponse.Builder().code(500).body("no").build());
      slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
      WatchAlerts alerts = new WatchAlerts(ReplyStore.of(store), watches(), Duration.ofMinutes(10), new SlackWebhook(slack.url("/hook").toString())::post, notes::add);
      advance(Duration.ofMinutes(30));
      assertEquals(List.of(), alerts.check(clock.instant()));
      assertTrue(notes.stream().anyMatch(n -> n.contains("HTTP 500")), notes.toString());
      assertEquals(1, alerts.check(clock.instant()).size());
      assertEquals(2, slack.getRequestCount());
    }
  }

  @Test
  void aMultiStageLaunchIsRefusedWithoutAHealthyWatch() {
    SequenceRow seq = service().create(as(DANA), new SequenceService.Draft("Welcome", null, plan()), audit(DANA));
    new comms.core.sequence.Enrollment(store, comms.core.store.EnrollmentStore.of(store),
            new comms.core.approval.Approvals(comms.core.store.ApprovalStore.of(store), roster(), clock, Duration.ofHours(24)), BINDINGS.templates(),
            comms.core.sequence.SequenceRules.DEFAULTS, clock)
        .add(as(DANA), seq, List.of(row(2, "maria@example.com")), null, true, false, audit(DANA));
    CommsException e = assertThrows(CommsException.class, () -> service().launch(as(DANA), seq.id(), 1, null, watches().launchGate(clock), audit(DANA)));
    assertEquals(ExitCode.POLICY, e.exitCode());
    assertContains(e.getMessage(), "has later stages and the reply watch of dana@lakesideprint.com has never synced");
    assertEquals("draft", comms.core.store.SequenceStore.of(store).find(seq.id()).orElseThrow().state());
    sync().sync(DANA, true);
    assertEquals("active", service().launch(as(DANA), seq.id(), 1, null, watches().launchGate(clock), audit(DANA)).state());
  }

  @Test
  void aFailedSyncKeepsItsErrorAndTheWatchGoesStale() {
    Inbox broken = new Inbox() {
      @Override
      public String source() {
        return "microsoft-graph";
      }

      @Override
      public Batch read(String owner, String cursor, java.time.Instant resyncFrom) {
        throw new CommsException(ExitCode.PROVIDER, "graph answered HTTP 503 serviceNotAvailable");
      }
    };
    sync().sync(DANA, true);
    advance(Duration.ofMinutes(11));
    ReplySync.OwnerSync r = new ReplySync(new ReplySync.Parts(store, broken, 7, clock, audit(DANA))).sync(DANA, true);
    assertFalse(r.ok());
    ReplyStore.Watch watch = ReplyStore.of(store).watch(DANA).orElseThrow();
    assertEquals("graph answered HTTP 503 serviceNotAvailable", watch.lastError());
    assertEquals(MONDAY_10_NY, watch.lastSuccessAt());
    assertContains(watches().unhealthy(DANA, clock.instant()).orElseThrow(), "last error: graph answered HTTP 503");
  }
}
