package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the PostgreSQL store has or does differently: its own numbered steps (the same numbers
 * as SQLite's), the version guard, the audit table's triggers, and row-level security proven with
 * hand-written SQL from an operator's own non-superuser login.
 */
class PgStoreTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String ANA = "ana@team.example";
  static final String BO = "bo@team.example";

  @TempDir Path tmp;

  Path db() {
    return tmp.resolve("outbox/state/comms.db");
  }

  @Test
  void thePostgresqlStepsAreSQLitesStepsNumberForNumber() {
    assertEquals(
        Migrations.ALL.stream().map(Migrations.Migration::version).toList(), PgMigrations.ALL.stream().map(PgMigrations.Step::version).toList(),
        "every SQLite step (Migrations) needs its PostgreSQL form under the same number (PgMigrations)");
  }

  @Test
  void migratesOnceRecordsTheVersionAndRefusesANewerStore() throws Exception {
    try (Store s = StoreBackend.POSTGRESQL.open(db())) {
      s.recordConsent("sms", "+15551234567", "opted-in", "web form", T0);
      assertEquals(Migrations.latest(), s.schemaVersion());
    }
    try (Store s = StoreBackend.POSTGRESQL.open(db())) {
      assertEquals(Migrations.latest(), s.schemaVersion());
      assertEquals("opted-in", s.consentState("sms", "+15551234567").orElseThrow());
    }
    try (Connection c = StoreBackend.POSTGRESQL.connect(db());
        Statement st = c.createStatement()) {
      st.execute("UPDATE comms_schema SET version = 99");
    }
    try (Store s = StoreBackend.POSTGRESQL.open(db())) {
      CommsException e = assertThrows(CommsException.class, () -> s.consentState("sms", "+15551234567"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }
  }

  @Test
  void aWrongPasswordOrAMissingServerIsASentence() {
    StoreUrl good = StoreBackend.POSTGRESQL.url(db());
    StoreUrl bad = new StoreUrl(null, good.jdbcUrl(), good.user(), "wrong", good.display());
    try (Store s = Store.open(bad)) {
      CommsException e = assertThrows(CommsException.class, () -> s.consentState("sms", "+1"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().contains("refused the login of user " + good.user()), e.getMessage());
      assertTrue(!e.getMessage().contains("wrong"), "never the password: " + e.getMessage());
    }
    StoreUrl nowhere = StoreUrl.parse("postgresql://127.0.0.1:1/comms?user=comms", "test", null, Map.of(), StoreUrl.DEFAULT_PASSWORD_ENV);
    try (Store s = Store.open(nowhere)) {
      CommsException e = assertThrows(CommsException.class, () -> s.consentState("sms", "+1"));
      assertEquals(ExitCode.CONTRACT, e.exitCode());
      assertTrue(e.getMessage().startsWith("cannot reach the team store postgresql://127.0.0.1:1/comms"), e.getMessage());
    }
  }

  @Test
  void theAuditTableRefusesUpdateDeleteAndTruncateWhoeverAsks() throws Exception {
    try (Store s = StoreBackend.POSTGRESQL.open(db())) {
      AuditLog.of(s).append(new AuditLog.Entry(0, T0, ANA, ANA, "consent.record", "consent", null, Map.of("n", 1), "run", "tester"));
    }
    PgTestCluster pg = PgTestCluster.get();
    String name = PgTestCluster.database(StoreBackend.POSTGRESQL.url(db()));
    // As the role that owns the table, straight over JDBC: the triggers are in the database itself.
    try (Connection c = StoreBackend.POSTGRESQL.connect(db());
        Statement st = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE audit_log SET owner = 'mallory@example.com'"));
      assertTrue(update.getMessage().contains("append-only"), update.getMessage());
      SQLException delete = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM audit_log"));
      assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
      SQLException truncate = assertThrows(SQLException.class, () -> st.executeUpdate("TRUNCATE audit_log"));
      assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
      assertThrows(
          SQLException.class,
          () -> st.executeUpdate(
              "INSERT INTO audit_log (occurred_at, actor, owner, action, resource_type, payload) VALUES ('t', 'a', 'o', 'x', 'y', 'not json')"));
    }
    // The superuser is refused too (row-level security does not bind a superuser; triggers do).
    IllegalStateException su = assertThrows(IllegalStateException.class, () -> pg.superSql(name, "DELETE FROM audit_log"));
    assertTrue(su.getMessage().contains("append-only"), su.getMessage());
    try (Connection c = StoreBackend.POSTGRESQL.connect(db());
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*), min(owner) FROM audit_log")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
      assertEquals(ANA, rs.getString(2));
    }
  }

  /** Two operators' sequences with two enrollments each, a stage send and an audit row each, made through the repositories as the service. */
  private void twoOperators(Store s) {
    for (String owner : List.of(ANA, BO)) {
      String seq = "seq-" + owner.substring(0, owner.indexOf('@'));
      SequenceStore.of(s).create(seq, "Renewals", owner, "America/New_York", "{}", T0);
      EnrollmentStore.of(s).enroll(
          seq, owner,
          List.of(
              new EnrollmentStore.NewEnrollment(seq + "-e1", "a1@" + seq + ".example", "a1@" + seq + ".example", null, null, "{}"),
              new EnrollmentStore.NewEnrollment(seq + "-e2", "a2@" + seq + ".example", "a2@" + seq + ".example", null, null, "{}")),
          T0, T0, () -> {});
      AuditLog.of(s).append(new AuditLog.Entry(0, T0, owner, owner, "sequence.create", "sequence", seq, Map.of(), "run", "tester"));
    }
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void anOperatorsOwnLoginCannotReadOrChangeAnothersEnrollmentsEvenWithHandWrittenSql() throws Exception {
    try (Store s = StoreBackend.POSTGRESQL.open(db())) {
      twoOperators(s);
    }
    PgTestCluster pg = PgTestCluster.get();
    StoreUrl service = StoreBackend.POSTGRESQL.url(db());
    String name = PgTestCluster.database(service);
    String ana = name + "_ana";
    String boss = name + "_boss";
    String stranger = name + "_stranger";
    // Logins as a team's admin would make them: non-superusers with ordinary table grants; which operator each is, in store_logins.
    pg.superSql("postgres", "CREATE ROLE " + ana + " LOGIN NOSUPERUSER PASSWORD 'pw-ana'", "CREATE ROLE " + boss + " LOGIN NOSUPERUSER PASSWORD 'pw-boss'",
        "CREATE ROLE " + stranger + " LOGIN NOSUPERUSER PASSWORD 'pw-x'");
    try (Connection c = StoreBackend.POSTGRESQL.connect(db());
        Statement st = c.createStatement()) {
      for (String role : List.of(ana, boss, stranger)) {
        st.execute("GRANT USAGE ON SCHEMA public TO " + role);
        st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
      }
      st.execute("INSERT INTO store_logins (db_role, operator, admin) VALUES ('" + ana + "', '" + ANA + "', false), ('" + boss + "', 'boss@team.example', true)");
    }
    try (Connection c = pg.connect(name, ana, "pw-ana");
        Statement st = c.createStatement()) {
      assertEquals(2, count(st, "SELECT count(*) FROM enrollments"), "only her own two");
      assertEquals(0, count(st, "SELECT count(*) FROM enrollments WHERE owner = '" + BO + "'"));
      assertEquals(0, count(st, "SELECT count(*) FROM enrollments WHERE id LIKE 'seq-bo%'"));
      assertEquals(1, count(st, "SELECT count(*) FROM sequences"));
      assertEquals(1, count(st, "SELECT count(*) FROM audit_log"));
      // Claiming to be someone else changes nothing: her login is who she is.
      st.execute("SET app.operator = '" + BO + "'");
      assertEquals(0, count(st, "SELECT count(*) FROM enrollments WHERE owner = '" + BO + "'"));
      st.execute("BEGIN");
      st.execute("SELECT set_config('app.operator', '', true)");
      assertEquals(2, count(st, "SELECT count(*) FROM enrollments"), "an empty operator is not 'everyone' for a listed login");
      st.execute("COMMIT");
      assertEquals(0, st.executeUpdate("UPDATE enrollments SET state = 'stopped' WHERE owner = '" + BO + "'"));
      assertEquals(0, st.executeUpdate("DELETE FROM stage_sends WHERE enrollment_id LIKE 'seq-bo%'"));
      SQLException insert =
          assertThrows(
              SQLException.class,
              () -> st.executeUpdate(
                  "INSERT INTO enrollments (id, sequence_id, owner, recipient, vars_json, state, next_stage, created_at, updated_at)"
                      + " VALUES ('x', 'seq-ana', '" + BO + "', 'x@y.example', '{}', 'active', 1, 't', 't')"));
      assertTrue(insert.getMessage().contains("row-level security"), insert.getMessage());
      assertEquals(0, st.executeUpdate("UPDATE store_logins SET admin = true"), "she cannot make herself an admin");
      assertEquals(2, count(st, "SELECT count(*) FROM enrollments"));
      assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO store_logins VALUES ('" + stranger + "', '" + BO + "', true)"));
      SQLException audit = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE audit_log SET action = 'x'"));
      assertTrue(audit.getMessage().contains("append-only"), audit.getMessage());
    }
    try (Connection c = pg.connect(name, boss, "pw-boss");
        Statement st = c.createStatement()) {
      assertEquals(4, count(st, "SELECT count(*) FROM enrollments"), "an admin login sees every operator's rows");
    }
    try (Connection c = pg.connect(name, stranger, "pw-x");
        Statement st = c.createStatement()) {
      st.execute("SET app.operator = ''");
      assertEquals(0, count(st, "SELECT count(*) FROM enrollments"), "a login nobody listed sees nothing, whatever it sets");
    }
    // The service sets the operator per transaction: acting for Bo it reads Bo's rows only, through the repositories.
    try (Store s = Store.open(service).actingAs(BO)) {
      assertEquals(List.of(), EnrollmentStore.of(s).inSequence("seq-ana"));
      assertEquals(2, EnrollmentStore.of(s).inSequence("seq-bo").size());
      assertEquals(List.of("seq-bo"), SequenceStore.of(s).list(null).stream().map(SequenceStore.SequenceRow::id).toList());
    }
    try (Store s = Store.open(service)) {
      assertEquals(4, EnrollmentStore.of(s).inSequence("seq-ana").size() + EnrollmentStore.of(s).inSequence("seq-bo").size(),
          "the service acting for nobody in particular (the worker) sees every enrollment");
    }
  }
}
