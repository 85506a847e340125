package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The operators roster, the append-only audit log and the per-operator send caps in the SQLite store. */
class OperatorStoreTest {
  static final String BACKENDS = "comms.core.store.StoreBackend#all";

  static final Instant T0 = Instant.parse("2026-11-18T17:00:05Z");

  static final String CONTRACT =
      """
      version: 1
      default_operator: dana@lakesideprint.com
      defaults: { daily_cap: 5, per_minute_cap: 3 }
      operators:
        - { email: dana@lakesideprint.com, display_name: Dana Lake, role: admin }
        - { email: Sam@LakesidePrint.com, display_name: Sam Rivera, role: operator, per_minute_cap: 2 }
      """;

  @TempDir Path tmp;

  static OperatorsContract contract(String text) {
    return OperatorsContract.from(YamlValue.parse(text, "communications.operators.yaml"));
  }

  Path db() {
    return tmp.resolve("outbox/state/comms.db");
  }

  Roster roster(Store s) {
    return Roster.of(s, contract(CONTRACT));
  }

  // ------------------------------------------------------------------------------ roster

  @Test
  void beforeTheStoreExistsTheRosterIsTheContractsAndReadingCreatesNothing() {
    try (Store s = Store.at(db())) {
      List<Roster.Operator> all = roster(s).list();
      assertEquals(List.of("dana@lakesideprint.com", "sam@lakesideprint.com"), all.stream().map(Roster.Operator::email).toList());
      assertFalse(all.get(0).stored());
      assertEquals(5, all.get(0).dailyCap());
      assertEquals(2, all.get(1).perMinuteCap());
      assertTrue(roster(s).find(" SAM@lakesideprint.com ").isPresent());
      assertEquals(new SendCaps.Usage(0, 0), SendCaps.of(s, roster(s)).usage("sam@lakesideprint.com", T0));
      assertEquals(List.of(), AuditLog.of(s).newest(new AuditLog.Query(10, null, null, null)));
    }
    assertFalse(Files.exists(tmp.resolve("outbox")));
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void seedingIsIdempotentAndNeverOverwritesTheStore(StoreBackend b) {
    try (Store s = b.open(db())) {
      Roster r = roster(s);
      assertEquals(2, r.seed(T0));
      assertEquals(0, r.seed(T0));
      r.update("sam@lakesideprint.com", new Roster.Change(null, null, 50, null, null), T0);
      assertEquals(0, r.seed(T0));
      assertEquals(50, r.find("sam@lakesideprint.com").orElseThrow().dailyCap(), "the store's row wins over the contract");
      // An operator added to the contract later is seeded the next time; the others stay as they are.
      Roster later =
          Roster.of(s, contract(CONTRACT + "  - { email: lee@lakesideprint.com, display_name: Lee Chen, role: operator }\n"));
      assertFalse(later.find("lee@lakesideprint.com").orElseThrow().stored());
      assertEquals(1, later.seed(T0));
      assertTrue(later.find("lee@lakesideprint.com").orElseThrow().stored());
      assertEquals(50, later.find("sam@lakesideprint.com").orElseThrow().dailyCap());
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void processesSeedingAtOnceNeitherClashNorDuplicate(StoreBackend b) throws Exception {
    int n = 6;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Integer>> added = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      added.add(pool.submit(() -> {
        try (Store s = b.open(db())) { // one connection each, as separate processes have
          start.await(10, TimeUnit.SECONDS);
          return roster(s).seed(T0);
        }
      }));
    }
    int total = 0;
    for (Future<Integer> f : added) {
      total += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(2, total);
    try (Store s = b.open(db())) {
      assertEquals(2, roster(s).list().stream().filter(Roster.Operator::stored).count());
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void addRefusesAKnownAddressAndUpdateKeepsAnActiveAdmin(StoreBackend b) {
    try (Store s = b.open(db())) {
      Roster r = roster(s);
      Roster.Operator sam = r.find("sam@lakesideprint.com").orElseThrow();
      CommsException dup = assertThrows(CommsException.class, () -> r.add(sam, T0));
      assertEquals(ExitCode.POLICY, dup.exitCode());
      CommsException last =
          assertThrows(CommsException.class, () -> r.update("dana@lakesideprint.com", new Roster.Change(null, "operator", null, null, null), T0));
      assertEquals(ExitCode.POLICY, last.exitCode());
      assertTrue(last.getMessage().contains("last active admin"), last.getMessage());
      r.update("sam@lakesideprint.com", new Roster.Change(null, "admin", null, null, null), T0);
      Roster.Operator dana = r.update("dana@lakesideprint.com", new Roster.Change(null, null, null, null, false), T0);
      assertFalse(dana.active());
      assertEquals(ExitCode.POLICY, assertThrows(CommsException.class, () -> r.update("nobody@lakesideprint.com", new Roster.Change("X", null, null, null, null), T0)).exitCode());
    }
  }

  // ------------------------------------------------------------------------------ audit log

  static AuditLog.Entry row(String owner, String action, Instant at) {
    return new AuditLog.Entry(0, at, owner, owner, action, "consent", "sha256:ab", Map.of("outcome", "applied", "count", 1), "run-1", "tester");
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void auditRowsComeBackNewestFirstFilteredByOwnerActionAndTime(StoreBackend b) {
    try (Store s = b.open(db())) {
      AuditLog log = AuditLog.of(s);
      log.append(row("dana@lakesideprint.com", "consent.record", T0));
      log.append(row("sam@lakesideprint.com", "suppression.add", T0.plusSeconds(60)));
      AuditLog.Entry third = log.append(row("sam@lakesideprint.com", "consent.record", T0.plusSeconds(120)));
      assertEquals(3, third.id());
      List<AuditLog.Entry> all = log.newest(new AuditLog.Query(10, null, null, null));
      assertEquals(List.of(3L, 2L, 1L), all.stream().map(AuditLog.Entry::id).toList());
      assertEquals(Map.of("outcome", "applied", "count", java.math.BigDecimal.ONE), normalizeNumbers(all.get(0).payload()));
      assertEquals(2, log.newest(new AuditLog.Query(10, "sam@lakesideprint.com", null, null)).size());
      assertEquals(1, log.newest(new AuditLog.Query(10, "sam@lakesideprint.com", "consent.record", null)).size());
      assertEquals(2, log.newest(new AuditLog.Query(10, null, null, T0.plusSeconds(60))).size());
      assertEquals(1, log.newest(new AuditLog.Query(1, null, null, null)).size());
    }
  }

  static Map<String, Object> normalizeNumbers(Map<String, Object> m) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Number n ? new java.math.BigDecimal(n.toString()) : v));
    return out;
  }

  @Test
  void theDatabaseRefusesUpdateAndDeleteOnTheAuditLog() throws SQLException {
    try (Store s = Store.at(db())) {
      AuditLog.of(s).append(row("dana@lakesideprint.com", "consent.record", T0));
    }
    // Straight at the file, as anyone with sqlite3 could: the triggers are in the database itself.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE audit_log SET owner = 'mallory@example.com'"));
      assertTrue(update.getMessage().contains("append-only"), update.getMessage());
      SQLException delete = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM audit_log"));
      assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
      SQLException bad = assertThrows(SQLException.class, () -> st.executeUpdate(
          "INSERT INTO audit_log (occurred_at, actor, owner, action, resource_type, payload) VALUES ('t', 'a', 'o', 'x', 'y', 'not json')"));
      assertTrue(bad.getMessage().contains("CHECK"), bad.getMessage());
      try (ResultSet rs = st.executeQuery("SELECT count(*), min(owner) FROM audit_log")) {
        assertEquals(1, rs.getInt(1));
        assertEquals("dana@lakesideprint.com", rs.getString(2));
      }
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void aChangeAndItsAuditRowCommitTogetherOrNotAtAll(StoreBackend b) {
    try (Store s = b.open(db())) {
      AuditLog log = AuditLog.of(s);
      boolean added =
          log.appendWith("suppress", () -> s.addSuppression("domain", "bounce.example.com", "hard bounces", T0), ok -> row("dana@lakesideprint.com", "suppression.add", T0));
      assertTrue(added);
      assertThrows(
          IllegalStateException.class,
          () -> log.appendWith("suppress", () -> s.addSuppression("domain", "other.example.com", "x", T0), ok -> {
            throw new IllegalStateException("the audit row could not be built");
          }));
      assertEquals(List.of("bounce.example.com"), s.listSuppressions().stream().map(SuppressionStore.Suppression::value).toList(), "the change rolled back with its row");
      assertEquals(1, log.newest(new AuditLog.Query(10, null, null, null)).size());
    }
  }

  // ------------------------------------------------------------------------------ caps

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void aUnitTakenForADeliveryCountsOnceWhoeverReSendsIt(StoreBackend b) {
    try (Store s = b.open(db())) {
      SendCaps caps = SendCaps.of(s, roster(s));
      String dana = "dana@lakesideprint.com";
      String sam = "sam@lakesideprint.com";
      s.claim("k1", "dlv_1", T0);
      assertEquals(Optional.empty(), caps.take(dana, T0, "dlv_1"));
      assertEquals(Optional.empty(), caps.take(dana, T0.plusSeconds(5), "dlv_1"), "the same delivery again: its unit is reused");
      assertEquals(new SendCaps.Usage(1, 1), caps.usage(dana, T0));
      // Re-sent as another operator: the first operator's unit goes back, the second's is taken.
      assertEquals(Optional.empty(), caps.take(sam, T0.plusSeconds(10), "dlv_1"));
      assertEquals(new SendCaps.Usage(0, 0), caps.usage(dana, T0));
      assertEquals(new SendCaps.Usage(1, 1), caps.usage(sam, T0));
      caps.giveBack("dlv_1");
      assertEquals(new SendCaps.Usage(0, 0), caps.usage(sam, T0));
      caps.giveBack("dlv_1");
      assertEquals(new SendCaps.Usage(0, 0), caps.usage(sam, T0), "a unit goes back once");
      // A finished send's unit is not remembered: a new message under a reused delivery id would count anew.
      assertEquals(Optional.empty(), caps.take(dana, T0, "dlv_1"));
      s.complete("k1", "simulated", "SIM", "{}", T0);
      s.claim("k2", "dlv_2", T0);
      assertEquals(Optional.empty(), caps.take(dana, T0, "dlv_2"));
      assertEquals(Optional.empty(), caps.take(dana, T0, "dlv_1"));
      assertEquals(new SendCaps.Usage(3, 3), caps.usage(dana, T0));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void perMinuteCapResetsEachUtcMinuteAndTheDailyCapEachUtcDay(StoreBackend b) {
    try (Store s = b.open(db())) {
      SendCaps caps = SendCaps.of(s, roster(s));
      String dana = "dana@lakesideprint.com";
      for (int i = 0; i < 3; i++) {
        assertEquals(Optional.empty(), caps.take(dana, T0));
      }
      assertEquals(Optional.of("minute_cap_exhausted:3"), caps.take(dana, T0.plusSeconds(50)));
      assertEquals(new SendCaps.Usage(3, 3), caps.usage(dana, T0));
      assertEquals(Optional.empty(), caps.take(dana, T0.plusSeconds(55)), "17:01:00 is a new minute");
      assertEquals(Optional.empty(), caps.take(dana, T0.plusSeconds(60)));
      assertEquals(Optional.of("daily_cap_exhausted:5"), caps.take(dana, T0.plusSeconds(120)));
      assertEquals(new SendCaps.Usage(5, 0), caps.usage(dana, T0.plusSeconds(120)));
      Instant nextDay = Instant.parse("2026-11-19T00:00:00Z");
      assertEquals(Optional.empty(), caps.take(dana, nextDay));
      assertEquals(new SendCaps.Usage(1, 1), caps.usage(dana, nextDay));
      // Each operator has their own caps.
      assertEquals(Optional.empty(), caps.take("sam@lakesideprint.com", T0));
      assertEquals(Optional.empty(), caps.take("sam@lakesideprint.com", T0));
      assertEquals(Optional.of("minute_cap_exhausted:2"), caps.take("sam@lakesideprint.com", T0));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void aCapOfZeroOrAnInactiveOperatorSendsNothing(StoreBackend b) {
    try (Store s = b.open(db())) {
      Roster r = roster(s);
      SendCaps caps = SendCaps.of(s, r);
      r.update("sam@lakesideprint.com", new Roster.Change(null, null, 0, null, null), T0);
      assertEquals(Optional.of("daily_cap_exhausted:0"), caps.take("sam@lakesideprint.com", T0));
      r.update("sam@lakesideprint.com", new Roster.Change(null, null, 10, null, false), T0);
      assertEquals(Optional.of("operator_inactive"), caps.take("sam@lakesideprint.com", T0));
      assertEquals(Optional.of("operator_unknown"), caps.take("nobody@lakesideprint.com", T0));
      assertEquals(new SendCaps.Usage(0, 0), caps.usage("sam@lakesideprint.com", T0));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void connectionsRacingForTheLastUnitsNeverOverspend(StoreBackend b) throws Exception {
    int n = 8;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Optional<String>>> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      got.add(pool.submit(() -> {
        try (Store s = b.open(db())) {
          SendCaps caps = SendCaps.of(s, roster(s));
          start.await(10, TimeUnit.SECONDS);
          return caps.take("dana@lakesideprint.com", T0);
        }
      }));
    }
    int allowed = 0;
    List<String> refused = new ArrayList<>();
    for (Future<Optional<String>> f : got) {
      Optional<String> r = f.get(60, TimeUnit.SECONDS);
      if (r.isEmpty()) {
        allowed++;
      } else {
        refused.add(r.get());
      }
    }
    pool.shutdown();
    assertEquals(3, allowed, refused::toString);
    assertEquals(List.of("minute_cap_exhausted:3", "minute_cap_exhausted:3", "minute_cap_exhausted:3", "minute_cap_exhausted:3", "minute_cap_exhausted:3"), refused);
    try (Store s = b.open(db())) {
      assertEquals(new SendCaps.Usage(3, 3), SendCaps.of(s, roster(s)).usage("dana@lakesideprint.com", T0));
    }
  }

  @Test
  void capCodesBecomeSentences() {
    assertTrue(SendCaps.explain("sam@x.com", "daily_cap_exhausted:1000").contains("daily send cap (1000 a UTC day)"));
    assertTrue(SendCaps.explain("sam@x.com", "minute_cap_exhausted:30").contains("--per-minute-cap"));
    assertEquals(null, SendCaps.explain("sam@x.com", "21610"));
  }
}
