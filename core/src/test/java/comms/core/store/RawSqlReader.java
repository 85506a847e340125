package comms.core.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Test access to every audit payload as stored. */
public final class RawSqlReader {
  private RawSqlReader() {}

  public static void payloads(Store store, List<String> out) {
    synchronized (store) {
      try (Statement st = store.open(true).createStatement();
          ResultSet rs = st.executeQuery("SELECT action, resource_id, payload FROM audit_log ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
