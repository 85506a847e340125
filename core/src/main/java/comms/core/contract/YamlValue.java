package comms.core.contract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One node of a parsed contract file, with its position and field path, so every refusal can say
 * exactly where to look. Reading is strict: wrong types and (through {@link YamlMap#end()}) unknown
 * keys are errors.
 */
public final class YamlValue {
  /** Contract files are small; anything bigger is a mistake or an attack. */
  public static final long MAX_FILE_BYTES = 1_000_000;

  private final Node node;
  private final String file;
  private final String path;

  YamlValue(Node node, String file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
  }

  /**
   * Parses one YAML document from a file; refuses oversize files, UTF-16/32 text (with a hint to save
   * it as UTF-8), bytes that are not UTF-8, and everything {@link #parse(String, String)} refuses.
   */
  public static YamlValue parse(Path file, String displayName) {
    return parse(ContractText.read(file, displayName, MAX_FILE_BYTES), displayName);
  }

  /**
   * Parses one YAML document; refuses syntax errors, characters YAML does not allow, anchors and
   * aliases, explicit tags and deep nesting, each at its file:line:column (see {@link PlainYaml}).
   */
  public static YamlValue parse(String text, String displayName) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(displayName)
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(0)
            .setAllowRecursiveKeys(false)
            .setUseMarks(true)
            .build();
    Node root;
    try {
      Optional<Node> composed = new Composer(settings, PlainYaml.events(text, displayName, settings)).getSingleNode();
      root = composed.orElse(null);
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = (e.getContext() == null ? "" : e.getContext() + "; ") + e.getProblem();
      if (m == null) {
        throw new ContractException(displayName, "YAML syntax error: " + problem);
      }
      throw new ContractException(
          new Source(displayName, m.getLine() + 1, m.getColumn() + 1, ""),
          "YAML syntax error: " + problem.trim());
    } catch (YamlEngineException e) {
      throw new ContractException(displayName, "YAML error: " + e.getMessage());
    } catch (StackOverflowError e) {
      // The YAML library composes nested collections recursively and has no depth limit of its own.
      throw tooDeep(displayName);
    }
    if (root == null) {
      throw new ContractException(new Source(displayName, 1, 1, "$"), "file is empty; it must hold a mapping");
    }
    if (depth(root) > MAX_DEPTH) {
      // PlainYaml refused it already, with its place; kept so nothing walks a deep tree recursively.
      throw tooDeep(displayName);
    }
    return new YamlValue(root, displayName, "$");
  }

  /** Far deeper than any contract needs (they nest a handful of levels). */
  static final int MAX_DEPTH = 64;

  private static ContractException tooDeep(String displayName) {
    return new ContractException(
        displayName, "YAML nested more than " + MAX_DEPTH + " levels deep; a contract needs only a few levels, so this file is not one");
  }

  /** The deepest nesting of collections under {@code root}, counted without recursion. */
  private static int depth(Node root) {
    int max = 0;
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {root, 1});
    while (!todo.isEmpty()) {
      Object[] next = todo.pop();
      Node n = (Node) next[0];
      int d = (Integer) next[1];
      max = Math.max(max, d);
      if (d > MAX_DEPTH) {
        return d;
      }
      if (n instanceof SequenceNode s) {
        s.getValue().forEach(c -> todo.push(new Object[] {c, d + 1}));
      } else if (n instanceof MappingNode m) {
        m.getValue().forEach(t -> {
          todo.push(new Object[] {t.getKeyNode(), d + 1});
          todo.push(new Object[] {t.getValueNode(), d + 1});
        });
      }
    }
    return max;
  }

  public Source source() {
    Optional<Mark> m = node.getStartMark();
    return new Source(file, m.map(x -> x.getLine() + 1).orElse(0), m.map(x -> x.getColumn() + 1).orElse(0), path);
  }

  public String path() {
    return path;
  }

  /** The parsed node, for {@link ContractSchema} to walk. */
  Node node() {
    return node;
  }

  public String file() {
    return file;
  }

  ContractException error(String problem) {
    return new ContractException(source(), problem);
  }

  private void noAnchor() {
    if (node.getAnchor().isPresent()) {
      throw error("YAML anchors and aliases are not allowed in contracts; write the value out");
    }
  }

  public boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  public YamlMap asMap() {
    noAnchor();
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping (key: value lines) but found " + kind());
    }
    return new YamlMap(m, file, path);
  }

  public <T> List<T> asList(Function<YamlValue, T> item) {
    noAnchor();
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list (lines starting with '- ') but found " + kind());
    }
    List<T> out = new ArrayList<>();
    int i = 0;
    for (Node child : s.getValue()) {
      out.add(item.apply(new YamlValue(child, file, path + "[" + i++ + "]")));
    }
    return List.copyOf(out);
  }

  /** A scalar as text. Plain numbers are accepted as text (a phone number looks like an integer). */
  public String asString() {
    noAnchor();
    if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
      throw error("expected a text value but found " + kind());
    }
    if (s.getTag().equals(Tag.BOOL)) {
      throw error("expected a text value but found a boolean; quote it if you mean the text '" + s.getValue() + "'");
    }
    return s.getValue();
  }

  public int asInt() {
    noAnchor();
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
      try {
        return Integer.parseInt(s.getValue().startsWith("+") ? s.getValue().substring(1) : s.getValue());
      } catch (NumberFormatException e) {
        throw error("integer " + s.getValue() + " is out of range");
      }
    }
    throw error("expected a whole number but found " + kind());
  }

  public boolean asBoolean() {
    noAnchor();
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      return Boolean.parseBoolean(s.getValue());
    }
    throw error("expected true or false but found " + kind());
  }

  String kind() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    if (s.getTag().equals(Tag.NULL)) {
      return "nothing (null)";
    }
    String v = s.getValue();
    String shown = v.length() > 40 ? v.substring(0, 40) + "…" : v;
    if (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT)) {
      return "the number " + shown;
    }
    if (s.getTag().equals(Tag.BOOL)) {
      return "the boolean " + shown;
    }
    return "the text '" + shown + "'";
  }
}
