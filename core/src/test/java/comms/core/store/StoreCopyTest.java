package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** store.migrate's copy: a SQLite store into an empty PostgreSQL one, counts and hashes checked, the audit log's ids and order kept. */
class StoreCopyTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  Path sqlite() {
    return tmp.resolve("outbox/state/comms.db");
  }

  private static void fill(Store s) {
    s.recordConsent("sms", "+15551234567", "opted-in", "web form", T0);
    s.recordConsent("sms", "+15551234567", "opted-out", "STOP", T0.plusSeconds(5));
    s.addSuppression("domain", "lakeside.example", "bounced", T0);
    s.claim("k1", "d1", T0);
    s.complete("k1", "simulated", "SIM1", "{\"status\":\"simulated\"}", T0.plusSeconds(1));
    for (int i = 0; i < 25; i++) {
      AuditLog.of(s).append(new AuditLog.Entry(0, T0.plusSeconds(i), "ana@team.example", i % 2 == 0 ? "ana@team.example" : "bo@team.example",
          "consent.record", "consent", "r" + i, Map.of("n", i, "note", "é ✓"), "run", "tester"));
    }
    SequenceStore.of(s).create("seq-1", "Renewals", "ana@team.example", "America/New_York", "{\"stages\":[]}", T0);
    EnrollmentStore.of(s).enroll("seq-1", "ana@team.example",
        List.of(new EnrollmentStore.NewEnrollment("e1", "a@x.example", "a@x.example", null, null, "{}"),
            new EnrollmentStore.NewEnrollment("e2", "b@x.example", "b@x.example", "+15550001111", null, "{\"k\":\"v\"}")),
        T0, T0, () -> {});
  }

  @Test
  void aSqliteStoreIsCopiedRowForRowAndChecked() throws Exception {
    List<StoreCopy.Table> before;
    try (Store s = Store.at(sqlite())) {
      fill(s);
      before = StoreCopy.survey(s);
    }
    StoreUrl pg = StoreBackend.POSTGRESQL.url(tmp.resolve("pg"));
    List<StoreCopy.Table> copied;
    try (Store from = Store.at(sqlite());
        Store to = Store.open(pg)) {
      copied = StoreCopy.copy(from, to);
    }
    assertEquals(before, copied, "the same tables, counts and hashes on both sides");
    assertEquals(25, copied.stream().filter(t -> t.name().equals("audit_log")).findFirst().orElseThrow().rows());
    try (Store s = Store.open(pg)) {
      assertEquals("opted-out", s.consentState("sms", "+15551234567").orElseThrow());
      assertTrue(s.suppressionMatch("email", "x@lakeside.example").isPresent());
      assertEquals("SIM1", s.idempotency("k1").orElseThrow().providerMessageId());
      List<AuditLog.Entry> audit = AuditLog.of(s).newest(new AuditLog.Query(100, null, null, null));
      assertEquals(25, audit.size());
      assertEquals(25L, audit.get(0).id(), "ids kept: the newest is still 25");
      assertEquals("r24", audit.get(0).resourceId());
      assertEquals("é ✓", audit.get(0).payload().get("note"));
      assertEquals(List.of("e1", "e2"), EnrollmentStore.of(s).inSequence("seq-1").stream().map(EnrollmentStore.EnrollmentRow::id).toList());
      // New rows continue after the copied ids.
      AuditLog.Entry next = AuditLog.of(s).append(new AuditLog.Entry(0, T0, "a", "a", "x", "y", null, Map.of(), null, null));
      assertEquals(26L, next.id());
    }
    // Into a store that is no longer empty: refused, and nothing changes.
    try (Store from = Store.at(sqlite());
        Store to = Store.open(pg)) {
      CommsException e = assertThrows(CommsException.class, () -> StoreCopy.copy(from, to));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("already holds"), e.getMessage());
    }
    try (Connection c = StoreBackend.POSTGRESQL.connect(tmp.resolve("pg"));
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT count(*) FROM audit_log");
      rs.next();
      assertEquals(26, rs.getInt(1));
    }
  }

  @Test
  void aMissingSourceOrAWrongDirectionIsASentence() {
    try (Store from = Store.at(tmp.resolve("nothing/comms.db"));
        Store to = Store.open(StoreBackend.POSTGRESQL.url(tmp.resolve("pg2")))) {
      CommsException e = assertThrows(CommsException.class, () -> StoreCopy.copy(from, to));
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
      assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> StoreCopy.copy(to, from)).exitCode());
    }
  }
}
