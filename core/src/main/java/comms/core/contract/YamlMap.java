package comms.core.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A mapping being read field by field. Every field read is remembered; {@link #end()} refuses any key
 * nobody asked for, so a typo in a contract is an error, not a silently ignored setting.
 */
public final class YamlMap {
  private final MappingNode node;
  private final String file;
  private final String path;
  private final Map<String, YamlValue> values = new LinkedHashMap<>();
  private final Map<String, YamlValue> keys = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  YamlMap(MappingNode node, String file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
    for (NodeTuple t : node.getValue()) {
      YamlValue key = new YamlValue(t.getKeyNode(), file, path);
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw key.error("keys must be plain text");
      }
      String name = k.getValue();
      if (values.containsKey(name)) {
        throw key.error("duplicate key '" + name + "'; each key may appear once");
      }
      values.put(name, new YamlValue(t.getValueNode(), file, child(name)));
      keys.put(name, new YamlValue(t.getKeyNode(), file, child(name)));
    }
  }

  private String child(String name) {
    return "$".equals(path) ? name : path + "." + name;
  }

  public Source source() {
    return new YamlValue(node, file, path).source();
  }

  public String path() {
    return path;
  }

  public Set<String> keys() {
    return values.keySet();
  }

  public boolean has(String key) {
    return values.containsKey(key) && !values.get(key).isNull();
  }

  /** A required field. */
  public YamlValue get(String key) {
    read.add(key);
    YamlValue v = values.get(key);
    if (v == null || v.isNull()) {
      throw new ContractException(
          new Source(file, source().line(), source().column(), child(key)),
          "missing required field '" + key + "'" + (path.equals("$") ? "" : " in " + path));
    }
    return v;
  }

  public Optional<YamlValue> opt(String key) {
    read.add(key);
    YamlValue v = values.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  public String string(String key) {
    String s = get(key).asString();
    if (s.isBlank()) {
      throw get(key).error("'" + key + "' must not be empty");
    }
    return s;
  }

  public String string(String key, String fallback) {
    return opt(key).map(YamlValue::asString).orElse(fallback);
  }

  public int integer(String key) {
    return get(key).asInt();
  }

  public int integer(String key, int fallback) {
    return opt(key).map(YamlValue::asInt).orElse(fallback);
  }

  public boolean bool(String key, boolean fallback) {
    return opt(key).map(YamlValue::asBoolean).orElse(fallback);
  }

  /** A text value that must be one of {@code allowed}. */
  public String oneOf(String key, List<String> allowed) {
    YamlValue v = get(key);
    String s = v.asString();
    if (!allowed.contains(s)) {
      throw v.error("'" + key + "' is '" + s + "'; use one of " + String.join(", ", allowed));
    }
    return s;
  }

  public String oneOf(String key, List<String> allowed, String fallback) {
    return has(key) ? oneOf(key, allowed) : fallback;
  }

  public <T> List<T> list(String key, Function<YamlValue, T> item) {
    return get(key).asList(item);
  }

  public <T> List<T> list(String key, Function<YamlValue, T> item, List<T> fallback) {
    return opt(key).map(v -> v.asList(item)).orElse(fallback);
  }

  public List<String> strings(String key) {
    return list(key, YamlValue::asString);
  }

  public List<String> strings(String key, List<String> fallback) {
    return list(key, YamlValue::asString, fallback);
  }

  public YamlMap map(String key) {
    return get(key).asMap();
  }

  public Optional<YamlMap> optMap(String key) {
    return opt(key).map(YamlValue::asMap);
  }

  /** Every entry of a mapping whose keys are names (such as providers by name). */
  public <T> List<T> entries(java.util.function.BiFunction<String, YamlValue, T> item) {
    List<T> out = new ArrayList<>();
    values.forEach((k, v) -> {
      read.add(k);
      out.add(item.apply(k, v));
    });
    return List.copyOf(out);
  }

  /** Refuses keys that were never read: unknown keys are typos until proven otherwise. */
  public void end() {
    for (var e : keys.entrySet()) {
      if (!read.contains(e.getKey())) {
        List<String> known = new ArrayList<>(read);
        throw e.getValue()
            .error(
                "unknown key '" + e.getKey() + "'" + (path.equals("$") ? "" : " in " + path)
                    + (known.isEmpty() ? "" : "; known keys here: " + String.join(", ", known)));
      }
    }
  }
}
