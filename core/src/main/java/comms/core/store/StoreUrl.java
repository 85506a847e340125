package comms.core.store;

import comms.core.CommsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the state store lives: {@code sqlite} (the file in the outbox), {@code sqlite:PATH}, or
 * {@code postgresql://HOST[:PORT]/DATABASE?user=NAME} for a team's shared server. The password never
 * appears in the URL: it is read from the environment variable the store contract names
 * ({@code password_env}, default {@value #DEFAULT_PASSWORD_ENV}).
 */
public record StoreUrl(Path file, String jdbcUrl, String user, String password, String display) {
  public static final String DEFAULT_PASSWORD_ENV = "COMMS_STORE_PASSWORD";

  /** The environment variable that overrides the store contract's {@code url}. */
  public static final String ENV = "COMMS_STORE_URL";

  public StoreUrl {
    if (file == null) {
      Objects.requireNonNull(jdbcUrl);
    }
  }

  public boolean postgres() {
    return file == null;
  }

  /** The SQLite file {@code file}. */
  public static StoreUrl sqlite(Path file) {
    return new StoreUrl(Objects.requireNonNull(file), null, null, null, "sqlite:" + file);
  }

  /**
   * Reads {@code value} ({@code where} names its origin for the sentence on a bad one): {@code sqlite}
   * is {@code defaultFile}; the password of a PostgreSQL URL comes from {@code env[passwordEnv]}.
   */
  public static StoreUrl parse(String value, String where, Path defaultFile, Map<String, String> env, String passwordEnv) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty() || v.equals("sqlite")) {
      return sqlite(defaultFile);
    }
    if (v.startsWith("sqlite:")) {
      String path = v.substring("sqlite:".length());
      if (path.isBlank()) {
        throw CommsException.usage(where + ": sqlite: needs a file after the colon, such as sqlite:outbox/state/comms.db (or just sqlite)");
      }
      return sqlite(Path.of(path));
    }
    if (!v.startsWith("postgresql://") && !v.startsWith("postgres://")) {
      throw CommsException.usage(
          where + ": the store is 'sqlite', 'sqlite:PATH' or 'postgresql://HOST:PORT/DATABASE?user=NAME', not '" + redact(v) + "'");
    }
    URI uri;
    try {
      uri = new URI(v.replaceFirst("^postgres://", "postgresql://"));
    } catch (URISyntaxException e) {
      throw CommsException.usage(where + ": the PostgreSQL URL is not a URL (" + e.getReason() + "); write postgresql://HOST:PORT/DATABASE?user=NAME");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw CommsException.usage(where + ": the PostgreSQL URL needs a host and a database: postgresql://HOST:PORT/DATABASE?user=NAME");
    }
    if (uri.getUserInfo() != null) {
      throw CommsException.usage(
          where + ": put no user or password before the host; write ?user=NAME and set the password in $" + passwordEnv);
    }
    String user = null;
    StringBuilder rest = new StringBuilder();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        String k = kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv;
        String val = kv.contains("=") ? kv.substring(kv.indexOf('=') + 1) : "";
        if (k.toLowerCase(Locale.ROOT).equals("password")) {
          throw CommsException.usage(where + ": the PostgreSQL URL must not carry the password; set it in the environment variable " + passwordEnv);
        }
        if (k.equals("user")) {
          user = java.net.URLDecoder.decode(val, java.nio.charset.StandardCharsets.UTF_8);
          continue;
        }
        rest.append(rest.isEmpty() ? "?" : "&").append(kv);
      }
    }
    if (user == null || user.isBlank()) {
      throw CommsException.usage(where + ": the PostgreSQL URL needs ?user=NAME (the database role comms connects as)");
    }
    String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    String password = env == null ? null : env.get(passwordEnv == null ? DEFAULT_PASSWORD_ENV : passwordEnv);
    return new StoreUrl(
        null, "jdbc:postgresql://" + hostPort + uri.getRawPath() + rest, user, password,
        "postgresql://" + hostPort + uri.getRawPath() + "?user=" + user);
  }

  private static String redact(String v) {
    return v.replaceAll("(?i)password=[^&]*", "password=***");
  }

  @Override
  public String toString() {
    return display;
  }
}
