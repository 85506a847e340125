package comms.core.store;

import comms.core.contract.YamlMap;
import comms.core.contract.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * bindings/communications.store.yaml: where the state store lives. {@code url} is {@code sqlite}
 * (the default: the file in the outbox), {@code sqlite:PATH} or
 * {@code postgresql://HOST:PORT/DATABASE?user=NAME}; {@code password_env} names the environment
 * variable holding the PostgreSQL password (default COMMS_STORE_PASSWORD). COMMS_STORE_URL, when set,
 * overrides {@code url}, so one command can point at either store. No file: sqlite.
 */
public final class StoreContract {
  public static final String FILE = "communications.store.yaml";

  private StoreContract() {}

  /** The store this run uses: COMMS_STORE_URL, else the contract's url, else the outbox's file {@code defaultFile}. */
  public static StoreUrl resolve(Path bindingsDir, Path defaultFile, Map<String, String> env) {
    String url = "sqlite";
    String where = "sqlite (no " + FILE + ")";
    String passwordEnv = StoreUrl.DEFAULT_PASSWORD_ENV;
    Path file = bindingsDir == null ? null : bindingsDir.resolve(FILE);
    if (file != null && Files.isRegularFile(file)) {
      YamlMap m = YamlValue.parse(file, FILE).asMap();
      url = m.string("url", "sqlite");
      passwordEnv = m.string("password_env", StoreUrl.DEFAULT_PASSWORD_ENV);
      where = FILE + " url";
    }
    String override = env.get(StoreUrl.ENV);
    if (override != null && !override.isBlank()) {
      url = override;
      where = StoreUrl.ENV;
    }
    return StoreUrl.parse(url, where, defaultFile, env, passwordEnv);
  }
}
