package comms.core.contract;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A contract's JSON Schema (draft 2020-12), evaluated straight on the parsed YAML so that every
 * violation keeps file, line, column and field path, in the same words as the contract readers.
 *
 * <p>It implements only the keywords in {@link #KEYWORDS} and refuses a schema that uses any other:
 * a rule the evaluator would silently skip is worse than no rule. A full validator (Jackson-based) would
 * cost more start-up time than every command can afford; the tests prove this one agrees with it.
 */
public final class ContractSchema {
  /** The only dialect comms reads. */
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  /** Where the copies of bindings/schemas bundled with comms live on the classpath. */
  public static final String RESOURCE_DIR = "/comms/core/contract/schemas/";

  /** Keywords that only describe; they never change whether a document is valid. */
  static final Set<String> ANNOTATIONS = Set.of("$schema", "$comment", "$defs", "title", "description", "default", "examples");

  /** Keywords that decide validity, each implemented below. */
  static final Set<String> ASSERTIONS =
      Set.of(
          "type", "enum", "const", "properties", "additionalProperties", "required", "items", "minItems", "maxItems",
          "pattern", "minLength", "maxLength", "minimum", "maximum", "$ref", "if", "then", "else");

  /** Every keyword a comms schema may use. */
  public static final Set<String> KEYWORDS = union(ANNOTATIONS, ASSERTIONS);

  private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
  private static final String DEFS = "#/$defs/";
  private static final Map<String, ContractSchema> BUNDLED = new ConcurrentHashMap<>();

  private final String name;
  private Rule root;
  // Used only while compiling. Compiler and evaluator live in this one class on purpose: every extra
  // class costs a load through the (interpreted, at start-up) class loader on every command.
  private Map<String, Rule> defs = new HashMap<>();
  private List<Rule> refs = new ArrayList<>();

  private ContractSchema(String name) {
    this.name = name;
  }

  /** The schema's display name (its file, or "built-in X" for a bundled copy). */
  public String name() {
    return name;
  }

  /** Compiles schema text, refusing bad JSON, another dialect, and any keyword comms does not evaluate. */
  public static ContractSchema parse(String json, String name) {
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (Json.JsonException e) {
      throw new ContractException(name, "schema is not valid JSON: " + e.getMessage());
    }
    return new ContractSchema(name).compile(tree);
  }

  /** A schema larger than this is not one of ours (the biggest is a few kilobytes). */
  static final int SCHEMA_MAX_BYTES = 1_000_000;

  /** Reads and compiles a schema file. */
  public static ContractSchema read(Path file, String displayName) {
    try {
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw new ContractException(displayName, "is not a regular file; a schema must be a plain JSON file");
      }
      return parse(new String(comms.core.SmallFile.read(file, SCHEMA_MAX_BYTES), StandardCharsets.UTF_8), displayName);
    } catch (comms.core.SmallFile.TooLarge e) {
      throw new ContractException(displayName, "schema is larger than " + SCHEMA_MAX_BYTES + " bytes; restore it from the comms repository");
    } catch (NoSuchFileException e) {
      throw new ContractException(displayName, "schema file not found");
    } catch (IOException e) {
      throw new ContractException(displayName, "cannot read schema: " + e.getMessage());
    }
  }

  /** The copy of {@code schemaFile} bundled with comms, compiled once per process. */
  public static ContractSchema bundled(String schemaFile) {
    ContractSchema s = BUNDLED.get(schemaFile);
    if (s != null) {
      return s;
    }
    try (InputStream in = ContractSchema.class.getResourceAsStream(RESOURCE_DIR.concat(schemaFile))) {
      if (in == null) {
        throw new CommsException(
            ExitCode.INTERNAL, "the built-in schema " + schemaFile + " is missing from this build of comms; rebuild it (mvn package)");
      }
      s = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in schemas/".concat(schemaFile));
    } catch (IOException e) {
      throw new CommsException(ExitCode.INTERNAL, "cannot read the built-in schema " + schemaFile + ": " + e.getMessage(), e);
    }
    BUNDLED.putIfAbsent(schemaFile, s);
    return s;
  }

  /** Every place the document breaks the schema, in the order a person would fix them; empty when valid. */
  public List<ContractException> violations(YamlValue document) {
    List<Violation> found = new ArrayList<>();
    eval(root, document.node(), "$", null, null, false, found);
    List<ContractException> out = new ArrayList<>(found.size());
    for (Violation v : found) {
      var m = v.node().getStartMark();
      Source at = new Source(document.file(), m.map(x -> x.getLine() + 1).orElse(0), m.map(x -> x.getColumn() + 1).orElse(0), v.path());
      out.add(new ContractException(at, v.problem()));
    }
    return out;
  }

  /** Refuses a document that breaks the schema, naming the first violation. */
  public void check(YamlValue document) {
    List<ContractException> v = violations(document);
    if (!v.isEmpty()) {
      throw v.get(0);
    }
  }

  public boolean valid(YamlValue document) {
    return violations(document).isEmpty();
  }

  // ------------------------------------------------------------------ compiled form

  /** One compiled (sub)schema. Null fields mean "keyword absent". */
  private static final class Rule {
    final String at;
    Boolean always;
    List<String> types;
    List<Object> enumValues;
    boolean hasConst;
    Object constValue;
    Map<String, Rule> properties;
    Rule additional;
    List<String> required = List.of();
    Rule items;
    Long minItems;
    Long maxItems;
    Long minLength;
    Long maxLength;
    Pattern pattern;
    Number minimum;
    Number maximum;
    String ref;
    Rule target;
    Rule ifRule;
    Rule thenRule;
    Rule elseRule;
    String description;

    Rule(String at) {
      this.at = at;
    }

    boolean forbidden() {
      return Boolean.FALSE.equals(always);
    }
  }

  // ------------------------------------------------------------------ compiling: JSON tree to rules, refusing
  // anything that cannot be evaluated faithfully

  private ContractSchema compile(Object tree) {
    if (!(tree instanceof Map<?, ?> top)) {
      throw refuse("#", "a schema file must hold a JSON object");
    }
    if (!DIALECT.equals(top.get("$schema"))) {
      throw refuse("#/$schema", "'$schema' must be \"" + DIALECT + "\" (draft 2020-12), the only dialect comms reads");
    }
    Object d = top.get("$defs");
    if (d != null) {
      for (var e : map(d, "#/$defs").entrySet()) {
        defs.put(e.getKey(), rule(e.getValue(), DEFS.concat(e.getKey()), false));
      }
    }
    root = rule(top, "#", true);
    for (Rule r : refs) {
      r.target = defs.get(r.ref.substring(DEFS.length()));
      if (r.target == null) {
        throw refuse(r.at + "/$ref", "'$ref' points at " + r.ref + ", which $defs does not define (it has: "
            + String.join(", ", defs.keySet().stream().sorted().toList()) + ")");
      }
    }
    defs = null;
    refs = null;
    return this;
  }

  private ContractException refuse(String at, String problem) {
    return new ContractException(name, "not a schema comms can use, at " + at + ": " + problem);
  }

  private Rule rule(Object s, String at, boolean top) {
    Rule r = new Rule(at);
    if (s instanceof Boolean b) {
      r.always = b;
      return r;
    }
    Map<String, Object> m = map(s, at);
    for (var e : m.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      // String.concat, not +: each new '+' shape costs an invokedynamic bootstrap at start-up
      String here = at.concat("/").concat(k);
      if (!KEYWORDS.contains(k)) {
        throw refuse(
            here,
            "keyword '" + k + "' is not one comms evaluates; use only " + String.join(", ", KEYWORDS.stream().sorted().toList())
                + " (or teach comms.core.contract.ContractSchema the keyword, with a test against the reference validator)");
      }
      switch (k) {
        case "$schema", "$defs" -> {
          if (!top) {
            throw refuse(here, "'" + k + "' belongs only at the top of the schema");
          }
        }
        case "description" -> r.description = string(v, here);
        case "title", "$comment" -> string(v, here);
        case "default", "examples" -> {}
        case "type" -> r.types = types(v, here);
        case "enum" -> {
          List<Object> values = list(v, here);
          if (values.isEmpty()) {
            throw refuse(here, "'enum' needs at least one value");
          }
          for (Object x : values) {
            scalar(x, here);
          }
          r.enumValues = values;
        }
        case "const" -> {
          r.hasConst = true;
          r.constValue = scalar(v, here);
        }
        case "properties" -> {
          Map<String, Rule> props = new LinkedHashMap<>();
          for (var p : map(v, here).entrySet()) {
            props.put(p.getKey(), rule(p.getValue(), here.concat("/").concat(p.getKey()), false));
          }
          r.properties = props;
        }
        case "additionalProperties" -> r.additional = rule(v, here, false);
        case "required" -> {
          List<String> names = new ArrayList<>();
          for (Object x : list(v, here)) {
            names.add(string(x, here));
          }
          r.required = names;
        }
        case "items" -> {
          if (v instanceof List) {
            throw refuse(here, "'items' takes one schema in draft 2020-12 (a list is prefixItems, which comms does not evaluate)");
          }
          r.items = rule(v, here, false);
        }
        case "minItems" -> r.minItems = count(v, here);
        case "maxItems" -> r.maxItems = count(v, here);
        case "minLength" -> r.minLength = count(v, here);
        case "maxLength" -> r.maxLength = count(v, here);
        case "pattern" -> {
          try {
            r.pattern = Pattern.compile(string(v, here));
          } catch (PatternSyntaxException ex) {
            throw refuse(here, "'pattern' does not compile: " + ex.getDescription());
          }
        }
        case "minimum" -> r.minimum = number(v, here);
        case "maximum" -> r.maximum = number(v, here);
        case "$ref" -> {
          String ref = string(v, here);
          if (!ref.startsWith(DEFS) || ref.substring(DEFS.length()).contains("/")) {
            throw refuse(here, "'$ref' must point into this file's $defs (#/$defs/NAME), not " + ref);
          }
          r.ref = ref;
          refs.add(r);
        }
        case "if" -> r.ifRule = rule(v, here, false);
        case "then" -> r.thenRule = rule(v, here, false);
        case "else" -> r.elseRule = rule(v, here, false);
        default -> throw new IllegalStateException("keyword listed but not compiled: " + k);
      }
    }
    if ((r.thenRule != null || r.elseRule != null) && r.ifRule == null) {
      throw refuse(at, "'then' and 'else' need an 'if' beside them");
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object v, String at) {
    if (!(v instanceof Map)) {
      throw refuse(at, "expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object v, String at) {
    if (!(v instanceof List)) {
      throw refuse(at, "expected a JSON array");
    }
    return (List<Object>) v;
  }

  private String string(Object v, String at) {
    if (!(v instanceof String s)) {
      throw refuse(at, "expected a JSON string");
    }
    return s;
  }

  private Object scalar(Object v, String at) {
    if (v instanceof Map || v instanceof List) {
      throw refuse(at, "comms compares only plain values (text, numbers, true/false, null) in enum and const");
    }
    return v;
  }

  private long count(Object v, String at) {
    if (!(v instanceof Long n) || n < 0) {
      throw refuse(at, "expected a whole number of 0 or more");
    }
    return n;
  }

  private Number number(Object v, String at) {
    if (v instanceof Long || v instanceof BigDecimal) {
      return (Number) v;
    }
    throw refuse(at, "expected a JSON number");
  }

  private List<String> types(Object v, String at) {
    List<String> ts = new ArrayList<>();
    if (v instanceof List) {
      for (Object x : list(v, at)) {
        ts.add(string(x, at));
      }
    } else {
      ts.add(string(v, at));
    }
    for (String t : ts) {
      if (!TYPES.contains(t)) {
        throw refuse(at, "type '" + t + "' is not a JSON Schema type; use " + String.join(", ", TYPES.stream().sorted().toList()));
      }
    }
    return ts;
  }

  // ------------------------------------------------------------------ evaluation

  /** A broken rule: the node (for its line and column), its field path, and the problem in words. */
  private record Violation(Node node, String path, String problem) {}

  /*
   * A node is evaluated with: its field path, the key it is the value of (for a list item, the list's
   * key), the path of the mapping that holds that key, and whether it is a list item; so messages read
   * like the contract readers' ("'mode' is 'x'", "unknown key 'k' in sms").
   */

  private static String label(String key) {
    return key == null ? "the document" : "'" + key + "'";
  }

  /** " in sms" for a nested mapping; nothing at the top, as the readers say it. */
  private static String in(String mapPath) {
    return mapPath == null || "$".equals(mapPath) ? "" : " in " + mapPath;
  }

  private static String child(String path, String key) {
    // String.concat, not +: each new '+' shape costs an invokedynamic bootstrap at start-up
    return "$".equals(path) ? key : path.concat(".").concat(key);
  }

  private static void eval(Rule r, Node n, String path, String key, String parent, boolean item, List<Violation> out) {
    if (r.always != null) {
      if (!r.always) {
        out.add(new Violation(n, path, key == null ? "this value is not allowed here" : "key '" + key + "' is not allowed" + in(parent)));
      }
      return;
    }
    if (r.types != null && !anyType(r.types, n)) {
      out.add(new Violation(n, path, "expected " + expected(r.types) + " but found " + kind(n) + quoteHint(r.types, n)));
      return;
    }
    if (r.target != null) {
      eval(r.target, n, path, key, parent, item, out);
    }
    if (r.enumValues != null && !anySame(r.enumValues, n)) {
      String allowed = r.enumValues.stream().map(ContractSchema::plain).collect(Collectors.joining(", "));
      out.add(new Violation(n, path, item
          ? shown(n) + " is not allowed in " + label(key) + "; use one of " + allowed
          : label(key) + " is " + shown(n) + "; use one of " + allowed));
    }
    if (r.hasConst && !same(r.constValue, n)) {
      out.add(new Violation(n, path, (item ? shown(n) + " in " + label(key) : label(key) + " is " + shown(n))
          + "; it must be " + literal(r.constValue)));
    }
    if (n instanceof ScalarNode s) {
      scalar(r, s, path, key, out);
    } else if (n instanceof MappingNode m) {
      mapping(r, m, path, out);
    } else if (n instanceof SequenceNode l) {
      sequence(r, l, path, key, parent, out);
    }
    if (r.ifRule != null) {
      List<Violation> probe = new ArrayList<>();
      eval(r.ifRule, n, path, key, parent, item, probe);
      Rule branch = probe.isEmpty() ? r.thenRule : r.elseRule;
      if (branch != null) {
        List<Violation> inner = new ArrayList<>();
        eval(branch, n, path, key, parent, item, inner);
        for (Violation v : inner) {
          out.add(branch.description == null ? v : new Violation(v.node(), v.path(), v.problem() + "; " + branch.description));
        }
      }
    }
  }

  private static void scalar(Rule r, ScalarNode s, String path, String key, List<Violation> out) {
    if ((r.pattern != null || r.minLength != null || r.maxLength != null) && isString(s)) {
      String v = s.getValue();
      long len = v.codePointCount(0, v.length());
      if (r.pattern != null && !r.pattern.matcher(v).find()) {
        out.add(new Violation(s, path, v.isBlank()
            ? label(key) + " must not be empty"
            : "'" + v + "' does not fit " + label(key)
                + (r.description != null ? ": it must be " + r.description : " (it must match the pattern " + r.pattern.pattern() + ")")));
      } else if (r.minLength != null && len < r.minLength) {
        out.add(new Violation(s, path, r.minLength == 1
            ? label(key) + " must not be empty"
            : label(key) + " must be at least " + r.minLength + " characters long"));
      }
      if (r.maxLength != null && len > r.maxLength) {
        out.add(new Violation(s, path, label(key) + " is " + len + " characters long; it may be at most " + r.maxLength));
      }
    }
    boolean bounded = r.minimum != null || r.maximum != null;
    if (bounded && numeric(s) && ((r.minimum != null && compare(s, r.minimum) < 0) || (r.maximum != null && compare(s, r.maximum) > 0))) {
      String range =
          r.minimum != null && r.maximum != null
              ? "between " + plain(r.minimum) + " and " + plain(r.maximum)
              : r.minimum != null ? "at least " + plain(r.minimum) : "at most " + plain(r.maximum);
      out.add(new Violation(s, path, label(key) + " is " + s.getValue() + "; it must be " + range));
    }
  }

  private static void mapping(Rule r, MappingNode m, String path, List<Violation> out) {
    Map<String, Node> present = new LinkedHashMap<>();
    // Unknown keys first: a misspelt key is usually also why a required one looks missing.
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        out.add(new Violation(t.getKeyNode(), path, "keys must be plain text"));
        continue;
      }
      String name = k.getValue();
      if (present.containsKey(name)) {
        // Otherwise the later value silently wins here and the refusal names its consequence, not the cause.
        out.add(new Violation(k, child(path, name), "duplicate key '" + name + "'; each key may appear once"));
        continue;
      }
      present.put(name, t.getValueNode());
      Rule p = r.properties == null ? null : r.properties.get(name);
      Rule rule = p != null ? p : r.additional;
      if (rule != null && rule.forbidden()) {
        out.add(new Violation(k, child(path, name), p != null
            ? "key '" + name + "' is not allowed" + in(path)
            : "unknown key '" + name + "'" + in(path) + known(r)));
      }
    }
    for (var e : present.entrySet()) {
      String name = e.getKey();
      Rule p = r.properties == null ? null : r.properties.get(name);
      Rule rule = p != null ? p : r.additional;
      if (rule != null && !rule.forbidden()) {
        eval(rule, e.getValue(), child(path, name), name, path, false, out);
      }
    }
    for (String req : r.required) {
      if (!present.containsKey(req)) {
        out.add(new Violation(m, child(path, req), "missing required field '" + req + "'" + in(path)));
      }
    }
  }

  private static String known(Rule r) {
    if (r.properties == null) {
      return "; no keys are allowed here";
    }
    List<String> names = r.properties.entrySet().stream().filter(e -> !e.getValue().forbidden()).map(Map.Entry::getKey).toList();
    return names.isEmpty() ? "; no keys are allowed here" : "; known keys here: " + String.join(", ", names);
  }

  private static void sequence(Rule r, SequenceNode l, String path, String key, String parent, List<Violation> out) {
    int size = l.getValue().size();
    if (r.minItems != null && size < r.minItems) {
      out.add(new Violation(l, path, label(key) + " needs at least " + (r.minItems == 1 ? "one entry" : r.minItems + " entries")));
    }
    if (r.maxItems != null && size > r.maxItems) {
      out.add(new Violation(l, path, label(key) + " has " + size + " entries; it may have at most " + r.maxItems));
    }
    if (r.items != null) {
      for (int i = 0; i < size; i++) {
        String element = path.concat("[").concat(Integer.toString(i)).concat("]");
        eval(r.items, l.getValue().get(i), element, key, parent, true, out);
      }
    }
  }

  private static String kind(Node n) {
    return new YamlValue(n, "", "").kind();
  }

  private static String shown(Node n) {
    if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return "'" + s.getValue() + "'";
    }
    return kind(n);
  }

  // ------------------------------------------------------------------ JSON view of YAML scalars

  /** The JSON type of a node under the YAML 1.2 JSON schema snakeyaml-engine resolves with. */
  static String jsonType(Node n) {
    if (n instanceof MappingNode) {
      return "object";
    }
    if (n instanceof SequenceNode) {
      return "array";
    }
    Tag t = ((ScalarNode) n).getTag();
    if (t.equals(Tag.NULL)) {
      return "null";
    }
    if (t.equals(Tag.BOOL)) {
      return "boolean";
    }
    if (t.equals(Tag.INT)) {
      return "integer";
    }
    if (t.equals(Tag.FLOAT)) {
      return "number";
    }
    return "string";
  }

  private static boolean isString(ScalarNode s) {
    return "string".equals(jsonType(s));
  }

  private static boolean is(String type, Node n) {
    String actual = jsonType(n);
    return type.equals(actual)
        || ("number".equals(type) && "integer".equals(actual))
        // JSON Schema counts 2.0 as an integer; so does the reference validator.
        || ("integer".equals(type) && "number".equals(actual) && integral(decimal((ScalarNode) n)));
  }

  private static boolean anyType(List<String> types, Node n) {
    for (String t : types) {
      if (is(t, n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anySame(List<Object> values, Node n) {
    for (Object v : values) {
      if (same(v, n)) {
        return true;
      }
    }
    return false;
  }

  /** Compares a numeric scalar with a schema number; plain longs where they fit, so BigDecimal stays unloaded. */
  private static int compare(ScalarNode s, Object bound) {
    if (bound instanceof Long b && "integer".equals(jsonType(s))) {
      try {
        return Long.compare(Long.parseLong(s.getValue()), b);
      } catch (NumberFormatException e) {
        // beyond a long: compare exactly below
      }
    }
    BigDecimal want = bound instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) bound;
    return new BigDecimal(s.getValue()).compareTo(want);
  }

  private static boolean integral(BigDecimal d) {
    return d != null && d.stripTrailingZeros().scale() <= 0;
  }

  /** Whether a scalar is a number JSON can hold (not text, and not .inf/.nan). */
  private static boolean numeric(ScalarNode s) {
    String t = jsonType(s);
    return "integer".equals(t) || ("number".equals(t) && decimal(s) != null);
  }

  /** A float scalar's exact value, or null for .inf/.nan. */
  private static BigDecimal decimal(ScalarNode s) {
    try {
      return new BigDecimal(s.getValue());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean same(Object expected, Node n) {
    if (!(n instanceof ScalarNode s)) {
      return false;
    }
    String t = jsonType(s);
    if (expected == null) {
      return "null".equals(t);
    }
    if (expected instanceof String e) {
      return "string".equals(t) && e.equals(s.getValue());
    }
    if (expected instanceof Boolean b) {
      return "boolean".equals(t) && b == Boolean.parseBoolean(s.getValue());
    }
    return numeric(s) && compare(s, expected) == 0;
  }

  private static String expected(List<String> types) {
    Set<String> ts = new LinkedHashSet<>(types);
    if (ts.contains("string")) {
      // Numbers are accepted as text (a phone number looks like one), so "text" says it all.
      ts.remove("number");
      ts.remove("integer");
    }
    if (ts.contains("number")) {
      ts.remove("integer");
    }
    return ts.stream()
        .map(
            t ->
                switch (t) {
                  case "string" -> "a text value";
                  case "integer" -> "a whole number";
                  case "number" -> "a number";
                  case "boolean" -> "true or false";
                  case "object" -> "a mapping (key: value lines)";
                  case "array" -> "a list (lines starting with '- ')";
                  default -> "nothing (null)";
                })
        .collect(Collectors.joining(" or "));
  }

  private static String quoteHint(List<String> types, Node n) {
    String actual = jsonType(n);
    boolean scalarNotText = "boolean".equals(actual) || "integer".equals(actual) || "number".equals(actual);
    return types.contains("string") && scalarNotText ? "; quote it if you mean the text '" + ((ScalarNode) n).getValue() + "'" : "";
  }

  private static String plain(Object v) {
    return v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(v);
  }

  private static String literal(Object v) {
    return v instanceof String s ? "'" + s + "'" : plain(v);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }
}
