package comms.cli.mcp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders of JSON Schema (2020-12) objects as plain maps, for the tools' inputs and outputs. */
final class Schema {
  private Schema() {}

  static Map<String, Object> string(String description) {
    return typed("string", description);
  }

  static Map<String, Object> optionalString(String description) {
    return typed(List.of("string", "null"), description);
  }

  static Map<String, Object> integer(String description) {
    return typed("integer", description);
  }

  static Map<String, Object> bool(String description) {
    return typed("boolean", description);
  }

  static Map<String, Object> oneOf(String description, List<String> values) {
    Map<String, Object> m = string(description);
    m.put("enum", values);
    return m;
  }

  /** Any JSON object (its keys are checked by the core service it goes to). */
  static Map<String, Object> anyObject(String description) {
    return typed("object", description);
  }

  static Map<String, Object> array(String description, Map<String, Object> items) {
    Map<String, Object> m = typed("array", description);
    m.put("items", items);
    return m;
  }

  /** An object with these properties (name, schema, name, schema, …), of which {@code required} must be present. */
  static Map<String, Object> object(List<String> required, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "object");
    m.put("properties", props);
    if (!required.isEmpty()) {
      m.put("required", required);
    }
    return m;
  }

  static List<String> required(String... names) {
    return Arrays.asList(names);
  }

  private static Map<String, Object> typed(Object type, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    if (description != null) {
      m.put("description", description);
    }
    return m;
  }
}
