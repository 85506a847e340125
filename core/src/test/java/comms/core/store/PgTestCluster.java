package comms.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the store tests run against: COMMS_TEST_PG_URL (a superuser URL, its
 * password in COMMS_TEST_PG_PASSWORD) when set, else a throwaway cluster this test JVM starts with
 * the project's own {@code .ci/postgres start} (initdb in a temp folder, 127.0.0.1, a free port) and
 * stops and removes at exit. Each test gets a new database owned by a non-superuser service role
 * (superusers bypass row-level security), so tests never see each other's rows.
 */
public final class PgTestCluster {
  /** The non-superuser role comms connects as in the tests: it owns each test database, as a team's service role would. */
  public static final String SERVICE_ROLE = "comms_service";

  public static final String SERVICE_PASSWORD = "service-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

  private static PgTestCluster started;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final String host; // host:port
  private final String superUser;
  private final String superPassword;

  private PgTestCluster(String host, String superUser, String superPassword) {
    this.host = host;
    this.superUser = superUser;
    this.superPassword = superPassword;
  }

  /** The cluster, started on first use. */
  public static synchronized PgTestCluster get() {
    if (started == null) {
      started = start();
      started.superSql("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + SERVICE_ROLE + "') THEN CREATE ROLE "
          + SERVICE_ROLE + " LOGIN NOSUPERUSER CREATEROLE; END IF; END $$", "ALTER ROLE " + SERVICE_ROLE + " PASSWORD '" + SERVICE_PASSWORD + "'");
    }
    return started;
  }

  private static PgTestCluster start() {
    String url = System.getenv("COMMS_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      return parse(url, System.getenv("COMMS_TEST_PG_PASSWORD"));
    }
    Path script = script();
    try {
      Path dir = Files.createTempDirectory("comms-test-pg");
      Files.delete(dir); // the script wants a new or empty folder; as root it hands it to the postgres user
      Process p = new ProcessBuilder(script.toString(), "start", dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(".ci/postgres start " + dir + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "): " + out);
      }
      Map<String, String> env = new LinkedHashMap<>();
      out.lines().filter(l -> l.contains("=")).forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, dir)));
      return parse(env.get("COMMS_TEST_PG_URL"), env.get("COMMS_TEST_PG_PASSWORD"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting PostgreSQL", e);
    }
  }

  private static void stop(Path script, Path dir) {
    try {
      new ProcessBuilder(script.toString(), "stop", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
    }
  }

  /** .ci/postgres of this checkout (tests run in core/ or cli/, or at the root). */
  static Path script() {
    Path d = Path.of("").toAbsolutePath();
    while (d != null) {
      Path s = d.resolve(".ci/postgres");
      if (Files.isExecutable(s)) {
        return s;
      }
      d = d.getParent();
    }
    throw new IllegalStateException("no .ci/postgres above " + Path.of("").toAbsolutePath() + "; set COMMS_TEST_PG_URL to a server instead");
  }

  private static PgTestCluster parse(String url, String password) {
    StoreUrl u = StoreUrl.parse(url, "COMMS_TEST_PG_URL", null, Map.of("P", password == null ? "" : password), "P");
    String hp = u.jdbcUrl().substring("jdbc:postgresql://".length());
    return new PgTestCluster(hp.substring(0, hp.indexOf('/')), u.user(), password);
  }

  /** A new, empty database owned by the service role; the store URL connecting to it as that role. */
  public StoreUrl newDatabase() {
    String db = "comms_t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    superSql("postgres", "CREATE DATABASE " + db + " OWNER " + SERVICE_ROLE);
    superSql(db, "REVOKE ALL ON SCHEMA public FROM PUBLIC", "ALTER SCHEMA public OWNER TO " + SERVICE_ROLE);
    return url(db, SERVICE_ROLE, SERVICE_PASSWORD);
  }

  /** The store URL of {@code db} as {@code role} with {@code password}. */
  public StoreUrl url(String db, String role, String password) {
    return new StoreUrl(null, "jdbc:postgresql://" + host + "/" + db, role, password, "postgresql://" + host + "/" + db + "?user=" + role);
  }

  /** The URL text (for COMMS_STORE_URL and child processes), the password going separately. */
  public String text(StoreUrl u) {
    return u.display();
  }

  /** Runs statements as the superuser in {@code db}. */
  public void superSql(String db, String... statements) {
    try (Connection c = connect(db, superUser, superPassword);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test PostgreSQL refused: " + e.getMessage(), e);
    }
  }

  /** A plain JDBC connection, for tests that write their own SQL. */
  public Connection connect(String db, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://" + host + "/" + db, p);
  }

  /** The database name of a store URL made by {@link #newDatabase}. */
  public static String database(StoreUrl u) {
    String s = u.jdbcUrl();
    int q = s.indexOf('?');
    return s.substring(s.lastIndexOf('/') + 1, q < 0 ? s.length() : q);
  }
}
