package comms.core.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SQLite connection that keeps the statements it prepared: {@code prepareStatement(sql)} hands back
 * the one prepared for that text before, when it is not in use, and its {@code close()} (with the
 * result set it returned) only readies it for the next use. The store runs the same few dozen
 * statements for every message, and SQLite's prepare was a quarter of a worker pass. The
 * PostgreSQL driver keeps its own (server-side) prepared statements, so this is SQLite's only.
 */
final class CachedStatements implements InvocationHandler {
  /** The most statements kept; the least recently used goes first. */
  static final int KEEP = 256;

  private final Connection real;
  private final Map<String, PreparedStatement> idle =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= KEEP) {
            return false;
          }
          quietly(eldest.getValue());
          return true;
        }
      };

  private CachedStatements(Connection real) {
    this.real = real;
  }

  static Connection wrap(Connection real) {
    return (Connection) Proxy.newProxyInstance(CachedStatements.class.getClassLoader(), new Class<?>[] {Connection.class}, new CachedStatements(real));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("prepareStatement") && args != null && args.length == 1) {
      return lend((String) args[0]);
    }
    if (name.equals("close")) {
      synchronized (idle) {
        idle.values().forEach(CachedStatements::quietly);
        idle.clear();
      }
    }
    return call(real, method, args);
  }

  private PreparedStatement lend(String sql) throws SQLException {
    PreparedStatement ps;
    synchronized (idle) {
      ps = idle.remove(sql);
    }
    if (ps == null || ps.isClosed()) {
      ps = real.prepareStatement(sql);
    }
    return (PreparedStatement) Proxy.newProxyInstance(CachedStatements.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, new Lent(sql, ps));
  }

  /** One use of a kept statement: closing it gives it back, cleared, instead of finalizing it. */
  private final class Lent implements InvocationHandler {
    private final String sql;
    private final PreparedStatement ps;
    private ResultSet results;
    private boolean closed;

    Lent(String sql, PreparedStatement ps) {
      this.sql = sql;
      this.ps = ps;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "close":
          giveBack();
          return null;
        case "isClosed":
          return closed;
        case "getConnection":
          throw new SQLException("a kept statement does not hand out its connection");
        default:
          break;
      }
      if (closed) {
        throw new SQLException("statement is closed");
      }
      Object out = call(ps, method, args);
      if (out instanceof ResultSet rs) {
        results = rs;
      }
      return out;
    }

    private void giveBack() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (results != null && !results.isClosed()) {
          results.close();
        }
        ps.clearParameters();
      } catch (SQLException e) {
        quietly(ps);
        return;
      }
      synchronized (idle) {
        PreparedStatement other = idle.putIfAbsent(sql, ps);
        if (other != null && other != ps) {
          quietly(ps);
        }
      }
    }
  }

  private static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Being let go of: nothing to do about it.
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
