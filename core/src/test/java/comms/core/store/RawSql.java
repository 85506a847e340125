package comms.core.store;

import java.sql.SQLException;
import java.sql.Statement;

/** Test access to the store's connection, for rows no command would write (a consent row with a field missing). */
public final class RawSql {
  private RawSql() {}

  public static void exec(Store store, String sql) {
    synchronized (store) {
      try (Statement st = store.open(true).createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
