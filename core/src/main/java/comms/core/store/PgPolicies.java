package comms.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row-level security on a PostgreSQL store: an operator sees and changes only their own sequences,
 * enrollments, stage sends, approvals, audit rows, sent messages and reply mail; an admin all.
 *
 * <p>Who is acting: a database login listed in {@code store_logins} (a person's own role, for their
 * own comms or for hand-written SQL) is the operator named there, whatever it sets; the role that owns
 * the schema (the comms service that migrated it, and its members) is trusted to say whom it acts for
 * with {@code set_config('app.operator', …)}, which every store transaction does (empty: the service
 * itself, such as the worker, acting for everyone); any other role sees nothing. An operator the
 * roster lists as an active admin sees all. FORCE makes the policies bind the owner too.
 *
 * <p>Applied (idempotently, under the migration lock) after the schema steps; the marker comment on
 * comms_sees_all says which revision is in place, so a changed revision is applied on next start.
 */
final class PgPolicies {
  private PgPolicies() {}

  static final String REVISION = "comms row-level security r1";

  /** Tables whose rows carry their operator in {@code owner}. */
  static final List<String> OWNED = List.of("sequences", "enrollments", "audit_log", "sent_messages", "reply_watch", "inbound_mail");

  static final String SEES_ALL = "(SELECT comms_sees_all())";

  static List<String> statements() {
    List<String> out = new ArrayList<>();
    out.add("CREATE TABLE IF NOT EXISTS store_logins (db_role TEXT PRIMARY KEY, operator TEXT NOT NULL, admin BOOLEAN NOT NULL DEFAULT false)");
    out.add(
        """
        CREATE OR REPLACE FUNCTION comms_is_service() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
          SELECT NOT EXISTS (SELECT 1 FROM store_logins l WHERE l.db_role = session_user) AND pg_has_role(session_user, current_user, 'MEMBER')
        $$""");
    out.add(
        """
        CREATE OR REPLACE FUNCTION comms_operator() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
          SELECT CASE
            WHEN EXISTS (SELECT 1 FROM store_logins l WHERE l.db_role = session_user)
              THEN (SELECT l.operator FROM store_logins l WHERE l.db_role = session_user)
            WHEN pg_has_role(session_user, current_user, 'MEMBER') THEN NULLIF(current_setting('app.operator', true), '')
            ELSE NULL END
        $$""");
    out.add(
        """
        CREATE OR REPLACE FUNCTION comms_sees_all() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
          SELECT CASE
            WHEN EXISTS (SELECT 1 FROM store_logins l WHERE l.db_role = session_user)
              THEN EXISTS (SELECT 1 FROM store_logins l WHERE l.db_role = session_user AND l.admin)
                OR EXISTS (SELECT 1 FROM store_logins l JOIN operators o ON o.email = l.operator
                           WHERE l.db_role = session_user AND o.role = 'admin' AND o.active = 1)
            WHEN pg_has_role(session_user, current_user, 'MEMBER')
              THEN COALESCE(current_setting('app.operator', true), '') = ''
                OR EXISTS (SELECT 1 FROM operators o WHERE o.email = current_setting('app.operator', true) AND o.role = 'admin' AND o.active = 1)
            ELSE false END
        $$""");
    out.add("COMMENT ON FUNCTION comms_sees_all() IS '" + REVISION + "'");
    for (String t : OWNED) {
      out.addAll(policy(t, "owner = (SELECT comms_operator())"));
    }
    out.addAll(policy("stage_sends", "EXISTS (SELECT 1 FROM enrollments e WHERE e.id = stage_sends.enrollment_id)"));
    out.addAll(policy("approvals", "EXISTS (SELECT 1 FROM sequences s WHERE s.id = approvals.sequence_id)"));
    // The logins table: everyone reads it (the functions do), only the service changes it.
    out.add("ALTER TABLE store_logins ENABLE ROW LEVEL SECURITY");
    out.add("ALTER TABLE store_logins FORCE ROW LEVEL SECURITY");
    out.add("DROP POLICY IF EXISTS store_logins_read ON store_logins");
    out.add("CREATE POLICY store_logins_read ON store_logins FOR SELECT USING (true)");
    out.add("DROP POLICY IF EXISTS store_logins_write ON store_logins");
    out.add("CREATE POLICY store_logins_write ON store_logins FOR ALL USING ((SELECT comms_is_service())) WITH CHECK ((SELECT comms_is_service()))");
    return out;
  }

  private static List<String> policy(String table, String own) {
    String rule = "(" + SEES_ALL + " OR " + own + ")";
    return List.of(
        "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS comms_operator_rows ON " + table,
        "CREATE POLICY comms_operator_rows ON " + table + " USING " + rule + " WITH CHECK " + rule);
  }

  /** True when this revision of the policies is in place. */
  static boolean current(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p WHERE p.proname = 'comms_sees_all'"
                + " AND p.pronamespace = current_schema()::regnamespace")) {
      return rs.next() && REVISION.equals(rs.getString(1));
    }
  }

  static void apply(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : statements()) {
        st.execute(sql);
      }
    }
  }
}
