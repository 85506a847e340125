package comms.cli.mcp;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.List;
import java.util.Map;

/** A tool call's arguments, read by name; a wrong or missing one is a usage error naming the argument. */
final class Arguments {
  private final String tool;
  private final Map<String, Object> values;

  Arguments(String tool, Map<String, Object> values) {
    this.tool = tool;
    this.values = values == null ? Map.of() : values;
  }

  String string(String name) {
    String s = optionalString(name);
    if (s == null || s.isBlank()) {
      throw missing(name, "a string");
    }
    return s;
  }

  String optionalString(String name) {
    Object v = values.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw wrong(name, "a string", v);
    }
    return s;
  }

  int integer(String name) {
    Integer i = optionalInteger(name);
    if (i == null) {
      throw missing(name, "an integer");
    }
    return i;
  }

  Integer optionalInteger(String name) {
    Object v = values.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw wrong(name, "an integer", v);
  }

  boolean flag(String name) {
    Object v = values.get(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw wrong(name, "true or false", v);
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw missing(name, "an object");
    }
    if (!(v instanceof Map<?, ?>)) {
      throw wrong(name, "an object", v);
    }
    return (Map<String, Object>) v;
  }

  /** The raw value (parsed JSON), or null. */
  Object raw(String name) {
    return values.get(name);
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> objects(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw missing(name, "a list of objects");
    }
    if (!(v instanceof List<?> l)) {
      throw wrong(name, "a list of objects", v);
    }
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof Map<?, ?>)) {
        throw new CommsException(ExitCode.USAGE, tool + ": " + name + "[" + i + "] must be an object such as {\"email\":\"ana@example.com\"}");
      }
    }
    return (List<Map<String, Object>>) v;
  }

  /** Where a value came from, for sentences: "launch_sequence.approval". */
  String where(String name) {
    return tool + "." + name;
  }

  private CommsException missing(String name, String what) {
    return new CommsException(ExitCode.USAGE, tool + " needs the argument " + name + " (" + what + ")");
  }

  private CommsException wrong(String name, String what, Object v) {
    return new CommsException(ExitCode.USAGE, tool + ": " + name + " must be " + what + ", not " + (v instanceof String ? "a string" : v.getClass().getSimpleName()));
  }
}
