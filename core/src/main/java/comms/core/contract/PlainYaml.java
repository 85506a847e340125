package comms.core.contract;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Checks, event by event as the composer takes them (one parse, no second pass), that a contract is
 * plain YAML: only printable characters, no anchors or aliases (an alias bomb is refused at its first
 * anchor, before any expansion), no explicit tags ({@code !!binary}, {@code !!python/object}, any
 * {@code !tag}), and no nesting deeper than {@link YamlValue#MAX_DEPTH} (refused before the composer
 * recurses into it). Each refusal names file:line:column and the field path, so the operator knows
 * exactly where to look.
 */
final class PlainYaml implements Parser {
  private static final String CORE_TAGS = "tag:yaml.org,2002:";

  /** Where the scan is: a mapping (expecting a key, or the value of {@code key}) or a list at {@code index}. */
  private static final class Level {
    final boolean mapping;
    final String path;
    boolean expectKey = true;
    String key = "?";
    int index;

    Level(boolean mapping, String path) {
      this.mapping = mapping;
      this.path = path;
    }
  }

  private final Parser events;
  private final String displayName;
  private final Deque<Level> levels = new ArrayDeque<>();

  private PlainYaml(Parser events, String displayName) {
    this.events = events;
    this.displayName = displayName;
  }

  /**
   * The events of {@code text}, each checked as it is taken; refuses a character YAML does not allow
   * before the first event.
   */
  static Parser events(String text, String displayName, LoadSettings settings) {
    printable(text, displayName);
    return new PlainYaml(new ParserImpl(settings, new StreamReader(settings, text)), displayName);
  }

  @Override
  public boolean checkEvent(Event.ID choice) {
    return events.checkEvent(choice);
  }

  @Override
  public Event peekEvent() {
    return events.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return events.hasNext();
  }

  @Override
  public Event next() {
    Event e = events.next();
    check(e);
    return e;
  }

  private void check(Event e) {
    switch (e.getEventId()) {
      case Scalar, Alias, MappingStart, SequenceStart -> {
        String path = place(levels, e);
        NodeEvent n = (NodeEvent) e;
        if (levels.size() + 1 > YamlValue.MAX_DEPTH) {
          throw refusal(
              displayName, e, path,
              "YAML nested more than " + YamlValue.MAX_DEPTH + " levels deep; a contract needs only a few levels, so this file is not one");
        }
        if (e instanceof AliasEvent a) {
          throw refusal(displayName, e, path, "YAML alias *" + a.getAlias() + ": anchors and aliases are not allowed in contracts; write the value out");
        }
        if (n.getAnchor().isPresent()) {
          throw refusal(displayName, e, path, "YAML anchor &" + n.getAnchor().get() + ": anchors and aliases are not allowed in contracts; write the value out");
        }
        Optional<String> tag = e instanceof ScalarEvent s ? s.getTag() : ((CollectionStartEvent) e).getTag();
        if (tag.isPresent()) {
          throw refusal(
              displayName, e, path,
              "YAML tag '" + shown(tag.get()) + "': explicit tags are not allowed in contracts; write a plain value (quote it if it is text)");
        }
        if (e instanceof CollectionStartEvent) {
          levels.push(new Level(e instanceof MappingStartEvent, path));
        }
      }
      case MappingEnd, SequenceEnd -> levels.pop();
      default -> {}
    }
  }

  /** The field path of the node {@code e} starts, moving the enclosing level on past it. */
  private static String place(Deque<Level> levels, Event e) {
    Level up = levels.peek();
    if (up == null) {
      return "$";
    }
    if (!up.mapping) {
      return up.path + "[" + up.index++ + "]";
    }
    if (up.expectKey) {
      up.expectKey = false;
      up.key = e instanceof ScalarEvent s ? s.getValue() : "?";
      return child(up.path, up.key);
    }
    up.expectKey = true;
    return child(up.path, up.key);
  }

  private static String child(String path, String name) {
    return "$".equals(path) ? name : path + "." + name;
  }

  /** A tag as it is usually written: {@code !!binary} rather than {@code tag:yaml.org,2002:binary}. */
  private static String shown(String tag) {
    return tag.startsWith(CORE_TAGS) ? "!!" + tag.substring(CORE_TAGS.length()) : tag;
  }

  private static ContractException refusal(String displayName, Event e, String path, String problem) {
    Optional<Mark> m = e.getStartMark();
    return new ContractException(
        new Source(displayName, m.map(x -> x.getLine() + 1).orElse(0), m.map(x -> x.getColumn() + 1).orElse(0), path), problem);
  }

  /** Refuses the first character YAML does not allow in a stream (YAML 1.2, section 5.1), at its line and column. */
  private static void printable(String text, String displayName) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean ok =
          c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok) {
        throw new ContractException(
            ContractText.place(displayName, text, i),
            String.format(
                "the character U+%04X (%s) is not allowed in YAML; remove it or write it as an escape in a double-quoted string",
                c, Character.isISOControl(c) ? "a control character" : "not printable"));
      }
      i += Character.charCount(c);
    }
  }
}
