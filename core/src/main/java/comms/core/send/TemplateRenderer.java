package comms.core.send;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ContractException;
import comms.core.contract.TemplatesCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a catalog template with Mustache, strictly: a placeholder the input lacks is an error naming
 * it, a placeholder the catalog does not declare is a contract error, and input the template does not
 * declare is reported. Only the email HTML part is HTML-escaped; SMS and plain text go out as given.
 */
public final class TemplateRenderer {
  private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).strictSections(true);
  private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true).strictSections(true);

  /** A rendered message; {@code subject} and {@code html} are null when the template has none. */
  public record Rendered(String templateId, String subject, String body, String html, List<String> undeclaredVars) {
    public Rendered {
      undeclaredVars = List.copyOf(undeclaredVars);
    }
  }

  /**
   * Every placeholder the template uses, in order of first use. Throws a contract error (exit 3) naming
   * the template's place in the catalog when one is not declared in its {@code variables}.
   */
  public static List<String> placeholders(TemplatesCatalog.Template t) {
    Set<String> used = new LinkedHashSet<>();
    for (Map.Entry<String, Template> part : compile(t).entrySet()) {
      collect(t, part.getKey(), part.getValue(), used);
    }
    return List.copyOf(used);
  }

  /** The placeholders one part ({@code subject}, {@code body} or {@code html}) of the template uses; empty when it has no such part. */
  public static List<String> placeholders(TemplatesCatalog.Template t, String part) {
    Template tpl = compile(t).get(part);
    if (tpl == null) {
      return List.of();
    }
    Set<String> used = new LinkedHashSet<>();
    collect(t, part, tpl, used);
    return List.copyOf(used);
  }

  /** Renders {@code t} with {@code vars}; values are inserted as text and never rendered again. */
  public Rendered render(TemplatesCatalog.Template t, Map<String, String> vars) {
    List<String> used = placeholders(t);
    List<String> missing = used.stream().filter(v -> !vars.containsKey(v) || vars.get(v) == null).toList();
    if (!missing.isEmpty()) {
      throw new CommsException(
          ExitCode.USAGE,
          "template '" + t.id() + "' needs " + (missing.size() == 1 ? "variable " : "variables ") + String.join(", ", missing)
              + ", which the variables given do not have; add "
              + (missing.size() == 1 ? "it" : "them") + " to --vars-json or --vars-file (the template declares: "
              + String.join(", ", t.variables()) + ")");
    }
    List<String> undeclared = vars.keySet().stream().filter(k -> !t.variables().contains(k)).sorted().toList();
    Map<String, Template> parts = compile(t);
    Map<String, String> context = new LinkedHashMap<>(vars);
    return new Rendered(
        t.id(),
        parts.containsKey("subject") ? execute(t, parts.get("subject"), context) : null,
        execute(t, parts.get("body"), context),
        parts.containsKey("html") ? execute(t, parts.get("html"), context) : null,
        undeclared);
  }

  private static Map<String, Template> compile(TemplatesCatalog.Template t) {
    Map<String, Template> parts = new LinkedHashMap<>();
    if (t.subject() != null) {
      parts.put("subject", compile(t, "subject", TEXT, t.subject()));
    }
    parts.put("body", compile(t, "body", TEXT, t.body()));
    if (t.html() != null) {
      parts.put("html", compile(t, "html", HTML, t.html()));
    }
    return parts;
  }

  private static Template compile(TemplatesCatalog.Template t, String part, Mustache.Compiler c, String text) {
    try {
      return c.compile(text);
    } catch (MustacheException e) {
      throw new ContractException(t.source(), "template '" + t.id() + "' " + part + " is not valid Mustache: " + e.getMessage());
    }
  }

  private static String execute(TemplatesCatalog.Template t, Template tpl, Map<String, String> context) {
    try {
      return tpl.execute(context);
    } catch (MustacheException e) {
      throw new CommsException(ExitCode.USAGE, "template '" + t.id() + "' could not be rendered: " + e.getMessage(), e);
    }
  }

  private static void collect(TemplatesCatalog.Template t, String part, Template tpl, Set<String> used) {
    List<String> undeclared = new ArrayList<>();
    tpl.visit(
        new Mustache.Visitor() {
          @Override
          public void visitText(String text) {}

          @Override
          public void visitVariable(String name) {
            note(name);
          }

          @Override
          public boolean visitInclude(String name) {
            throw new ContractException(
                t.source(), "template '" + t.id() + "' " + part + " includes partial '" + name + "'; partials are not supported, inline the text");
          }

          @Override
          public boolean visitSection(String name) {
            note(name);
            return true;
          }

          @Override
          public boolean visitInvertedSection(String name) {
            note(name);
            return true;
          }

          private void note(String name) {
            if (!t.variables().contains(name) && !undeclared.contains(name)) {
              undeclared.add(name);
            }
            used.add(name);
          }
        });
    if (!undeclared.isEmpty()) {
      throw new ContractException(
          t.source(),
          "template '" + t.id() + "' " + part + " uses {{" + String.join("}}, {{", undeclared) + "}} but its variables list does not declare "
              + (undeclared.size() == 1 ? "it" : "them") + "; add to variables or remove the placeholder");
    }
  }
}
