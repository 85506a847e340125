package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ChildJvm;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The state store on SQLite and on PostgreSQL: migrations, consent history, suppressions, and the idempotency claim protocol. */
class StoreTest {
  static final String BACKENDS = "comms.core.store.StoreBackend#all";

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  Path db() {
    return tmp.resolve("outbox/state/comms.db");
  }

  @Test
  void readsOnAStoreThatDoesNotExistCreateNothing() {
    try (Store s = Store.at(db())) {
      assertEquals(Optional.empty(), s.consentState("sms", "+15551234567"));
      assertEquals(Optional.empty(), s.suppressionMatch("email", "a@b.example"));
      assertEquals(List.of(), s.listSuppressions());
      assertEquals(Optional.empty(), s.idempotency("k"));
      assertFalse(s.release("k"));
      assertFalse(s.removeSuppression("domain", "b.example", T0));
      assertEquals(0, s.schemaVersion());
    }
    assertFalse(Files.exists(tmp.resolve("outbox")));
  }

  @Test
  void migrationsRunOnceAndReopeningKeepsData() throws Exception {
    try (Store s = Store.at(db())) {
      s.recordConsent("sms", "+15551234567", "opted-in", "web form", T0);
      assertEquals(Migrations.latest(), s.schemaVersion());
    }
    try (Store s = Store.at(db())) {
      assertEquals(Migrations.latest(), s.schemaVersion());
      assertEquals(Optional.of("opted-in"), s.consentState("sms", "+15551234567"));
      try (Statement st = s.open(false).createStatement()) {
        assertEquals("wal", st.executeQuery("PRAGMA journal_mode").getString(1));
        assertEquals(Store.BUSY_TIMEOUT_MS, st.executeQuery("PRAGMA busy_timeout").getInt(1));
      }
    }
  }

  @Test
  void aStoreFromANewerCommsIsRefused() throws Exception {
    try (Store s = Store.at(db())) {
      s.recordConsent("sms", "+15551234567", "opted-in", "x", T0);
      try (Statement st = s.open(false).createStatement()) {
        st.execute("PRAGMA user_version = 99");
      }
    }
    try (Store s = Store.at(db())) {
      CommsException e = assertThrows(CommsException.class, () -> s.consentState("sms", "+15551234567"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }
  }

  @Test
  void notADatabaseIsASentence() throws Exception {
    Files.createDirectories(db().getParent());
    Files.writeString(db(), "this is not sqlite, just text that is long enough to be read as a header.......");
    try (Store s = Store.at(db())) {
      CommsException e = assertThrows(CommsException.class, () -> s.consentState("sms", "+1"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("damaged or not a comms database"), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------ consent

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void latestConsentWinsAndHistoryIsKept(StoreBackend b) {
    try (Store s = b.open(db())) {
      s.recordConsent("sms", "+1 555 123 4567", "opted-in", "web form", T0);
      s.recordConsent("sms", "+15551234567", "opted-out", "inbound STOP", T0.plusSeconds(60));
      assertEquals(Optional.of("opted-out"), s.consentState("sms", "+15551234567"));
      // same instant: the later record wins
      s.recordConsent("sms", "+15551234567", "opted-in", "inbound START", T0.plusSeconds(60));
      assertEquals(Optional.of("opted-in"), s.consentState("sms", "+15551234567"));
      // an older instant recorded later does not override a newer one
      s.recordConsent("sms", "+15551234567", "opted-out", "backfill", T0.minusSeconds(3600));
      assertEquals(Optional.of("opted-in"), s.consentState("sms", "+15551234567"));
      assertEquals(4, s.consentHistory("sms", "+15551234567").size());
      assertEquals("inbound START", s.consentHistory("sms", "+15551234567").get(0).source());
      // per channel, and email addresses ignore case
      assertEquals(Optional.empty(), s.consentState("email", "+15551234567"));
      s.recordConsent("email", "Maria@Lakeside.Example", "opted-out", "reply", T0);
      assertEquals(Optional.of("opted-out"), s.consentState("email", "maria@lakeside.example "));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void consentHistoryCannotBeEditedOrDeleted(StoreBackend b) {
    try (Store s = b.open(db())) {
      s.recordConsent("sms", "+15551234567", "opted-out", "STOP", T0);
      Connection c = s.open(false);
      SQLException u = assertThrows(SQLException.class, () -> c.createStatement().execute("UPDATE consent SET state = 'opted-in'"));
      assertTrue(u.getMessage().contains("append-only"), u.getMessage());
      assertThrows(SQLException.class, () -> c.createStatement().execute("DELETE FROM consent"));
      assertEquals(Optional.of("opted-out"), s.consentState("sms", "+15551234567"));
    }
  }

  // ------------------------------------------------------------------------------ suppression

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void suppressionMatchesAddressPhoneDomainAndParentDomains(StoreBackend b) {
    try (Store s = b.open(db())) {
      assertTrue(s.addSuppression("domain", "@Lakeside.Example", "bounced", T0));
      assertTrue(s.addSuppression("address", "Ops@Other.Example", "complained", T0));
      assertTrue(s.addSuppression("phone", "+1 (555) 000-1111", "carrier STOP", T0));

      assertEquals(Optional.of("domain lakeside.example is suppressed: bounced"), s.suppressionMatch("email", "anyone@LAKESIDE.example"));
      assertEquals(
          Optional.of("domain lakeside.example is suppressed: bounced"), s.suppressionMatch("email", "billing@mail.lakeside.example"));
      assertEquals(Optional.empty(), s.suppressionMatch("email", "someone@notlakeside.example"));
      assertEquals(Optional.of("address ops@other.example is suppressed: complained"), s.suppressionMatch("email", " OPS@other.example"));
      assertEquals(Optional.empty(), s.suppressionMatch("email", "dev@other.example"));
      assertEquals(Optional.of("phone +15550001111 is suppressed: carrier STOP"), s.suppressionMatch("sms", "+15550001111"));
      assertEquals(Optional.empty(), s.suppressionMatch("sms", "+15550001112"));

      assertFalse(s.addSuppression("domain", "lakeside.example", "again", T0), "already in force");
      assertEquals(3, s.listSuppressions().size());

      assertTrue(s.removeSuppression("domain", "LAKESIDE.example", T0.plusSeconds(5)));
      assertFalse(s.removeSuppression("domain", "lakeside.example", T0.plusSeconds(6)));
      assertEquals(Optional.empty(), s.suppressionMatch("email", "anyone@lakeside.example"));
      assertEquals(2, s.listSuppressions().size());
      List<SuppressionStore.Suppression> all = s.listSuppressions(true);
      assertEquals(3, all.size());
      SuppressionStore.Suppression lifted = all.stream().filter(x -> x.kind().equals("domain")).findFirst().orElseThrow();
      assertEquals(T0.plusSeconds(5), lifted.removedAt());

      // suppressed again after removal: a new row
      assertTrue(s.addSuppression("domain", "lakeside.example", "bounced again", T0.plusSeconds(7)));
      assertEquals(Optional.of("domain lakeside.example is suppressed: bounced again"), s.suppressionMatch("email", "x@lakeside.example"));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void anAddressWinsOverItsDomain(StoreBackend b) {
    try (Store s = b.open(db())) {
      s.addSuppression("domain", "lakeside.example", "bounced", T0);
      s.addSuppression("address", "maria@lakeside.example", "asked us to stop", T0);
      assertEquals(Optional.of("address maria@lakeside.example is suppressed: asked us to stop"), s.suppressionMatch("email", "maria@lakeside.example"));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void badSuppressionsAreUsageErrors(StoreBackend b) {
    try (Store s = b.open(db())) {
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> s.addSuppression("fax", "1", "r", T0)).exitCode());
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> s.addSuppression("address", "lakeside.example", "r", T0)).exitCode());
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> s.addSuppression("domain", "a@b.example", "r", T0)).exitCode());
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> s.addSuppression("domain", "b.example", " ", T0)).exitCode());
    }
  }

  // ------------------------------------------------------------------------------ idempotency

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void claimCompleteAndReplay(StoreBackend b) {
    try (Store s = b.open(db())) {
      IdempotencyStore.Claim first = s.claim("key-1", "d1", T0);
      assertEquals(new IdempotencyStore.Claim.Claimed("key-1", "d1"), first);

      IdempotencyStore.Claim.InFlight again = assertInstanceOf(IdempotencyStore.Claim.InFlight.class, s.claim("key-1", "d2", T0.plusSeconds(1)));
      assertEquals("d1", again.entry().deliveryId());
      assertEquals(List.of("key-1"), s.inFlight().stream().map(IdempotencyStore.IdempotencyEntry::key).toList());

      assertTrue(s.complete("key-1", "simulated", "SIM123", "{\"status\":\"simulated\"}", T0.plusSeconds(2)));
      IdempotencyStore.Claim.Done done = assertInstanceOf(IdempotencyStore.Claim.Done.class, s.claim("key-1", "d3", T0.plusSeconds(3)));
      assertEquals("SIM123", done.entry().providerMessageId());
      assertEquals("simulated", done.entry().status());
      assertEquals("{\"status\":\"simulated\"}", done.entry().resultJson());
      assertEquals(T0, done.entry().createdAt());
      assertEquals(T0.plusSeconds(2), done.entry().updatedAt());

      assertFalse(s.complete("key-1", "failed", null, null, T0.plusSeconds(4)), "an earlier result is never overwritten");
      assertEquals("simulated", s.idempotency("key-1").orElseThrow().status());
      assertFalse(s.release("key-1"), "a done key cannot be released");
      assertEquals(List.of(), s.inFlight());
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void releaseLetsALaterRunSend(StoreBackend b) {
    try (Store s = b.open(db())) {
      assertInstanceOf(IdempotencyStore.Claim.Claimed.class, s.claim("key-2", "d1", T0));
      assertTrue(s.release("key-2"));
      assertEquals(Optional.empty(), s.idempotency("key-2"));
      assertInstanceOf(IdempotencyStore.Claim.Claimed.class, s.claim("key-2", "d2", T0));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void idempotencySurvivesReopening(StoreBackend b) {
    try (Store s = b.open(db())) {
      s.claim("k", "d1", T0);
    }
    try (Store s = b.open(db())) {
      assertInstanceOf(IdempotencyStore.Claim.InFlight.class, s.claim("k", "d2", T0), "a claim left by a crashed run is seen as in flight");
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void threadsClaimingOneKeyExactlyOneWins(StoreBackend b) throws Exception {
    int threads = 6;
    int keys = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      fs.add(
          pool.submit(
              () -> {
                List<String> won = new ArrayList<>();
                // one store (one connection) per thread, as separate processes would have
                try (Store s = b.open(db())) {
                  go.await();
                  for (int k = 0; k < keys; k++) {
                    if (s.claim("k" + k, name, T0) instanceof IdempotencyStore.Claim.Claimed) {
                      won.add("k" + k);
                    }
                  }
                }
                return won;
              }));
    }
    go.countDown();
    Map<String, Integer> wins = new HashMap<>();
    for (Future<List<String>> f : fs) {
      for (String k : f.get(60, TimeUnit.SECONDS)) {
        wins.merge(k, 1, Integer::sum);
      }
    }
    pool.shutdown();
    assertEquals(keys, wins.size());
    assertTrue(wins.values().stream().allMatch(n -> n == 1), wins::toString);
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void processesClaimingOneKeyExactlyOneWins(StoreBackend b) throws Exception {
    int procs = 4;
    int keys = 30;
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < procs; i++) {
      // all start on a store that does not exist yet: creation and migration race too
      ps.add(ChildJvm.start(ClaimMain.class, tmp, b.env(db()), b.arg(db()), "p" + i, String.valueOf(keys)));
    }
    Map<String, Integer> wins = new HashMap<>();
    for (int i = 0; i < procs; i++) {
      ChildJvm.Result r = ChildJvm.await(ps.get(i));
      assertEquals(0, r.exit(), r.out());
      assertFalse(r.out().contains("locked"), r.out());
      assertTrue(r.out().contains("done p" + i), r.out());
      r.out().lines().filter(l -> l.startsWith("won ")).forEach(l -> wins.merge(l.substring(4), 1, Integer::sum));
    }
    assertEquals(keys, wins.size(), wins::toString);
    assertTrue(wins.values().stream().allMatch(n -> n == 1), wins::toString);
    try (Store s = b.open(db())) {
      assertEquals(List.of(), s.inFlight());
      for (int k = 0; k < keys; k++) {
        assertInstanceOf(IdempotencyStore.Claim.Done.class, s.claim("k" + k, "late", T0));
      }
    }
  }
}
