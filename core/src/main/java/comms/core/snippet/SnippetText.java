package comms.core.snippet;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import comms.core.contract.ContractException;
import comms.core.contract.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snippet's text checked the way the strict renderer will read it: valid Mustache, no partials, and
 * no placeholder its variables do not declare. A refusal names the file (or option), the line and
 * column of the first use, and the placeholder.
 */
public final class SnippetText {
  /** What a declared variable may be called. */
  public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  // Same compiler settings as TemplateRenderer's text parts, so what passes here renders there.
  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).strictSections(true);

  // A tag as written, to find where a name is first used: {{name}}, {{{name}}}, {{#name}}, {{^name}}, {{/name}}, {{&name}}, {{>name}}.
  private static final Pattern TAG = Pattern.compile("\\{\\{(\\{?)\\s*([#^/&>!]?)\\s*([^}]*?)\\s*\\}?\\}\\}");

  private SnippetText() {}

  /**
   * The placeholders {@code text} uses, in order of first use; refuses (exit 3) invalid Mustache, a
   * partial, and any name not in {@code declared}. {@code where} names the text for a person: the
   * body file, or --subject.
   */
  public static List<String> check(String where, String text, List<String> declared) {
    com.samskivert.mustache.Template compiled;
    try {
      compiled = TEXT.compile(text);
    } catch (MustacheException e) {
      throw new ContractException(new Source(where, 0, 0, ""), "is not valid Mustache (" + e.getMessage() + "); fix the braces, or remove them");
    }
    Set<String> used = new LinkedHashSet<>();
    List<String> partials = new ArrayList<>();
    compiled.visit(
        new Mustache.Visitor() {
          @Override
          public void visitText(String t) {}

          @Override
          public void visitVariable(String name) {
            used.add(name);
          }

          @Override
          public boolean visitInclude(String name) {
            partials.add(name);
            return false;
          }

          @Override
          public boolean visitSection(String name) {
            used.add(name);
            return true;
          }

          @Override
          public boolean visitInvertedSection(String name) {
            used.add(name);
            return true;
          }
        });
    int stray = strayBraces(text);
    if (stray >= 0) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < stray; i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new ContractException(
          new Source(where, line, stray - lineStart + 1, text.substring(stray, Math.min(text.length(), stray + 20)).split("\n", 2)[0]),
          "has a '{{' that is not a complete placeholder; close it as {{name}} or remove the braces");
    }
    if (!partials.isEmpty()) {
      String p = partials.get(0);
      throw new ContractException(at(where, text, p), "includes partial {{>" + p + "}}; snippets cannot include other text, write it out");
    }
    for (String name : used) {
      if (!declared.contains(name)) {
        throw new ContractException(
            at(where, text, name),
            "uses {{" + name + "}}, which the snippet does not declare; add " + name + " to --variables"
                + (declared.isEmpty() ? "" : " (declared: " + String.join(", ", declared) + ")") + " or remove the placeholder");
      }
    }
    return List.copyOf(used);
  }

  /** Where the first '{{' that does not open a complete tag stands in {@code text}, or -1. */
  static int strayBraces(String text) {
    Matcher m = TAG.matcher(text);
    int from = 0;
    while (true) {
      int open = text.indexOf("{{", from);
      if (open < 0) {
        return -1;
      }
      if (!m.find(open) || m.start() != open) {
        return open;
      }
      from = m.end();
    }
  }

  /** Where {@code name} is first used in {@code text}: its line and column (1-based), with the placeholder as the field. */
  static Source at(String where, String text, String name) {
    Matcher m = TAG.matcher(text);
    while (m.find()) {
      if (!m.group(2).equals("!") && m.group(3).equals(name)) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < m.start(); i++) {
          if (text.charAt(i) == '\n') {
            line++;
            lineStart = i + 1;
          }
        }
        return new Source(where, line, m.start() - lineStart + 1, "{{" + name + "}}");
      }
    }
    return new Source(where, 0, 0, "{{" + name + "}}");
  }
}
