package comms.core.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The two engines the store suite runs against: a parameterized test takes one of {@link #all()} and
 * opens its stores with {@link #open(Path)}. The same {@code file} names the same store on both: on
 * SQLite the file, on PostgreSQL a database made for it on first use.
 */
public enum StoreBackend {
  SQLITE,
  POSTGRESQL;

  private static final Map<Path, StoreUrl> DATABASES = new ConcurrentHashMap<>();

  /** For {@code @MethodSource("comms.core.store.StoreBackend#all")}. */
  public static Stream<StoreBackend> all() {
    return Stream.of(values());
  }

  /** The store for {@code file} on this engine. */
  public Store open(Path file) {
    return Store.open(url(file));
  }

  /** The URL of the store for {@code file}: sqlite:FILE, or the PostgreSQL database made for it. */
  public StoreUrl url(Path file) {
    if (this == SQLITE) {
      return StoreUrl.sqlite(file);
    }
    return DATABASES.computeIfAbsent(file.toAbsolutePath(), f -> PgTestCluster.get().newDatabase());
  }

  /** A plain JDBC connection to the store for {@code file}, as anyone with sqlite3 or psql (and the service role's password) could open. */
  public java.sql.Connection connect(Path file) throws java.sql.SQLException {
    StoreUrl u = url(file);
    if (this == SQLITE) {
      return java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
    }
    return PgTestCluster.get().connect(PgTestCluster.database(u), u.user(), u.password());
  }

  /** Arguments a child JVM's {@link #fromArgs} reads back: the URL text. */
  public String arg(Path file) {
    return url(file).display();
  }

  /** The environment a child JVM needs for {@link #arg}: the store password. */
  public Map<String, String> env(Path file) {
    StoreUrl u = url(file);
    return u.postgres() ? Map.of(StoreUrl.DEFAULT_PASSWORD_ENV, u.password()) : Map.of();
  }

  /** In a child JVM: the store {@code arg} names, the password from the environment. */
  public static Store fromArgs(String arg) {
    return Store.open(StoreUrl.parse(arg, "argument", null, System.getenv(), StoreUrl.DEFAULT_PASSWORD_ENV));
  }
}
