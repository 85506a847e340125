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
  private final Rule root;

  private ContractSchema(String name, Rule root) {
    this.name = name;
    this.root = root;
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
    return new Compiler(name).compile(tree);
  }

  /** Reads and compiles a schema file. */
  public static ContractSchema read(Path file, String displayName) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), displayName);
    } catch (NoSuchFileException e) {
      throw new ContractException(displayName, "schema file not found");
    } catch (IOException e) {
      throw new ContractException(displayName, "cannot read schema: " + e.getMessage());
    }
  }

  /** The copy of {@code schemaFile} bundled with comms, compiled once per process. */
  public static ContractSchema bundled(String schemaFile) {
    return BUNDLED.computeIfAbsent(
        schemaFile,
        f -> {
          try (InputStream in = ContractSchema.class.getResourceAsStream(RESOURCE_DIR + f)) {
            if (in == null) {
              throw new CommsException(
                  ExitCode.INTERNAL, "the built-in schema " + f + " is missing from this build of comms; rebuild it (mvn package)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in schemas/" + f);
          } catch (IOException e) {
            throw new CommsException(ExitCode.INTERNAL, "cannot read the built-in schema " + f + ": " + e.getMessage(), e);
          }
        });
  }

  /** Every place the document breaks the schema, in the order a person would fix them; empty when valid. */
  public List<ContractException> violations(YamlValue document) {
    Walk w = new Walk(document.file());
    w.eval(root, document.node(), At.ROOT);
    List<ContractException> out = new ArrayList<>(w.found.size());
    for (Violation v : w.found) {
      out.add(new ContractException(v.source, v.problem));
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
    BigDecimal minimum;
    BigDecimal maximum;
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

  /** Turns the schema's JSON tree into rules, refusing anything it cannot evaluate faithfully. */
  private static final class Compiler {
    private final String name;
    private final Map<String, Rule> defs = new HashMap<>();
    private final List<Rule> refs = new ArrayList<>();

    Compiler(String name) {
      this.name = name;
    }

    ContractSchema compile(Object tree) {
      if (!(tree instanceof Map<?, ?> top)) {
        throw refuse("#", "a schema file must hold a JSON object");
      }
      if (!DIALECT.equals(top.get("$schema"))) {
        throw refuse("#/$schema", "'$schema' must be \"" + DIALECT + "\" (draft 2020-12), the only dialect comms reads");
      }
      Object d = top.get("$defs");
      if (d != null) {
        for (var e : map(d, "#/$defs").entrySet()) {
          defs.put(e.getKey(), rule(e.getValue(), DEFS + e.getKey(), false));
        }
      }
      Rule root = rule(top, "#", true);
      for (Rule r : refs) {
        r.target = defs.get(r.ref.substring(DEFS.length()));
        if (r.target == null) {
          throw refuse(r.at + "/$ref", "'$ref' points at " + r.ref + ", which $defs does not define (it has: "
              + String.join(", ", defs.keySet().stream().sorted().toList()) + ")");
        }
      }
      return new ContractSchema(name, root);
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
        String here = at + "/" + k;
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
            values.forEach(x -> scalar(x, here));
            r.enumValues = values;
          }
          case "const" -> {
            r.hasConst = true;
            r.constValue = scalar(v, here);
          }
          case "properties" -> {
            Map<String, Rule> props = new LinkedHashMap<>();
            map(v, here).forEach((name, sub) -> props.put(name, rule(sub, here + "/" + name, false)));
            r.properties = props;
          }
          case "additionalProperties" -> r.additional = rule(v, here, false);
          case "required" -> r.required = list(v, here).stream().map(x -> string(x, here)).toList();
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

    private BigDecimal number(Object v, String at) {
      if (v instanceof Long n) {
        return BigDecimal.valueOf(n);
      }
      if (v instanceof BigDecimal d) {
        return d;
      }
      throw refuse(at, "expected a JSON number");
    }

    private List<String> types(Object v, String at) {
      List<String> ts = v instanceof List ? list(v, at).stream().map(x -> string(x, at)).toList() : List.of(string(v, at));
      for (String t : ts) {
        if (!TYPES.contains(t)) {
          throw refuse(at, "type '" + t + "' is not a JSON Schema type; use " + String.join(", ", TYPES.stream().sorted().toList()));
        }
      }
      return ts;
    }
  }

  // ------------------------------------------------------------------ evaluation

  private record Violation(Source source, String problem) {}

  /**
   * Where a node sits: its field path, the key it is the value of (for a list item, the list's key),
   * and the path of the mapping holding that key, so messages read like the contract readers'.
   */
  private record At(String path, String key, String parent, boolean item) {
    static final At ROOT = new At("$", null, null, false);

    At property(String k) {
      return new At("$".equals(path) ? k : path + "." + k, k, path, false);
    }

    At element(int i) {
      return new At(path + "[" + i + "]", key, parent, true);
    }

    String label() {
      return key == null ? "the document" : "'" + key + "'";
    }

    /** " in sms" for a nested mapping; nothing at the top, as the readers say it. */
    static String in(String mapPath) {
      return mapPath == null || "$".equals(mapPath) ? "" : " in " + mapPath;
    }
  }

  /** One evaluation of a document, collecting violations in the order a person would fix them. */
  private static final class Walk {
    final String file;
    final List<Violation> found = new ArrayList<>();

    Walk(String file) {
      this.file = file;
    }

    Source source(Node n, String path) {
      var m = n.getStartMark();
      return new Source(file, m.map(x -> x.getLine() + 1).orElse(0), m.map(x -> x.getColumn() + 1).orElse(0), path);
    }

    void add(Node n, String path, String problem) {
      found.add(new Violation(source(n, path), problem));
    }

    String kind(Node n, String path) {
      return new YamlValue(n, file, path).kind();
    }

    void eval(Rule r, Node n, At at) {
      if (r.always != null) {
        if (!r.always) {
          add(n, at.path(), at.key() == null ? "this value is not allowed here" : "key '" + at.key() + "' is not allowed" + At.in(at.parent()));
        }
        return;
      }
      if (r.types != null && r.types.stream().noneMatch(t -> is(t, n))) {
        add(n, at.path(), "expected " + expected(r.types) + " but found " + kind(n, at.path()) + quoteHint(r.types, n));
        return;
      }
      if (r.target != null) {
        eval(r.target, n, at);
      }
      if (r.enumValues != null && r.enumValues.stream().noneMatch(v -> same(v, n))) {
        String allowed = r.enumValues.stream().map(ContractSchema::plain).collect(Collectors.joining(", "));
        add(n, at.path(), at.item()
            ? shown(n, at.path()) + " is not allowed in " + at.label() + "; use one of " + allowed
            : at.label() + " is " + shown(n, at.path()) + "; use one of " + allowed);
      }
      if (r.hasConst && !same(r.constValue, n)) {
        add(n, at.path(), (at.item() ? shown(n, at.path()) + " in " + at.label() : at.label() + " is " + shown(n, at.path()))
            + "; it must be " + literal(r.constValue));
      }
      if (n instanceof ScalarNode s) {
        scalar(r, s, at);
      } else if (n instanceof MappingNode m) {
        mapping(r, m, at);
      } else if (n instanceof SequenceNode l) {
        sequence(r, l, at);
      }
      if (r.ifRule != null) {
        Walk probe = new Walk(file);
        probe.eval(r.ifRule, n, at);
        Rule branch = probe.found.isEmpty() ? r.thenRule : r.elseRule;
        if (branch != null) {
          Walk inner = new Walk(file);
          inner.eval(branch, n, at);
          for (Violation v : inner.found) {
            found.add(branch.description == null ? v : new Violation(v.source(), v.problem() + "; " + branch.description));
          }
        }
      }
    }

    private void scalar(Rule r, ScalarNode s, At at) {
      if (isString(s)) {
        String v = s.getValue();
        long len = v.codePointCount(0, v.length());
        boolean blank = v.isBlank();
        if (r.pattern != null && !r.pattern.matcher(v).find()) {
          add(s, at.path(), blank
              ? at.label() + " must not be empty"
              : "'" + v + "' does not fit " + at.label()
                  + (r.description != null ? ": it must be " + r.description : " (it must match the pattern " + r.pattern.pattern() + ")"));
        } else if (r.minLength != null && len < r.minLength) {
          add(s, at.path(), r.minLength == 1 ? at.label() + " must not be empty" : at.label() + " must be at least " + r.minLength + " characters long");
        }
        if (r.maxLength != null && len > r.maxLength) {
          add(s, at.path(), at.label() + " is " + len + " characters long; it may be at most " + r.maxLength);
        }
      }
      BigDecimal x = number(s);
      if (x != null && ((r.minimum != null && x.compareTo(r.minimum) < 0) || (r.maximum != null && x.compareTo(r.maximum) > 0))) {
        String range =
            r.minimum != null && r.maximum != null
                ? "between " + plain(r.minimum) + " and " + plain(r.maximum)
                : r.minimum != null ? "at least " + plain(r.minimum) : "at most " + plain(r.maximum);
        add(s, at.path(), at.label() + " is " + s.getValue() + "; it must be " + range);
      }
    }

    private void mapping(Rule r, MappingNode m, At at) {
      Map<String, Node> present = new LinkedHashMap<>();
      List<Node[]> checked = new ArrayList<>();
      // Unknown keys first: a misspelt key is usually also why a required one looks missing.
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          add(t.getKeyNode(), at.path(), "keys must be plain text");
          continue;
        }
        String name = k.getValue();
        present.put(name, t.getValueNode());
        At child = at.property(name);
        Rule p = r.properties == null ? null : r.properties.get(name);
        Rule rule = p != null ? p : r.additional;
        if (rule == null) {
          continue;
        }
        if (rule.forbidden()) {
          add(k, child.path(), p != null
              ? "key '" + name + "' is not allowed" + At.in(at.path())
              : "unknown key '" + name + "'" + At.in(at.path()) + known(r));
        } else {
          checked.add(new Node[] {k, t.getValueNode()});
        }
      }
      for (Node[] kv : checked) {
        String name = ((ScalarNode) kv[0]).getValue();
        Rule p = r.properties == null ? null : r.properties.get(name);
        eval(p != null ? p : r.additional, kv[1], at.property(name));
      }
      for (String req : r.required) {
        if (!present.containsKey(req)) {
          add(m, at.property(req).path(), "missing required field '" + req + "'" + At.in(at.path()));
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

    private void sequence(Rule r, SequenceNode l, At at) {
      int size = l.getValue().size();
      if (r.minItems != null && size < r.minItems) {
        add(l, at.path(), at.label() + " needs at least " + (r.minItems == 1 ? "one entry" : r.minItems + " entries"));
      }
      if (r.maxItems != null && size > r.maxItems) {
        add(l, at.path(), at.label() + " has " + size + " entries; it may have at most " + r.maxItems);
      }
      if (r.items != null) {
        for (int i = 0; i < size; i++) {
          eval(r.items, l.getValue().get(i), at.element(i));
        }
      }
    }

    private String shown(Node n, String path) {
      if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
        return "'" + s.getValue() + "'";
      }
      return kind(n, path);
    }
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
        || ("integer".equals(type) && "number".equals(actual) && integral(number((ScalarNode) n)));
  }

  private static boolean integral(BigDecimal d) {
    return d != null && d.stripTrailingZeros().scale() <= 0;
  }

  /** A numeric scalar's value; null for text, and for .inf/.nan, which JSON cannot hold. */
  private static BigDecimal number(ScalarNode s) {
    String t = jsonType(s);
    if (!"integer".equals(t) && !"number".equals(t)) {
      return null;
    }
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
    BigDecimal x = number(s);
    BigDecimal want = expected instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) expected;
    return x != null && x.compareTo(want) == 0;
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
