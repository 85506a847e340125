package comms.core.verify;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The variables a Mustache template reads, found by compiling it with jmustache (the engine that renders it). */
public final class TemplateVariables {
  /** Names jmustache gives a meaning of its own inside sections; never contract variables. */
  private static final Set<String> BUILT_IN = Set.of(".", "this", "-first", "-last", "-index");

  private TemplateVariables() {}

  /** Thrown for text that is not a valid Mustache template. */
  public static final class NotMustache extends RuntimeException {
    NotMustache(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Every variable and section name {@code text} reads, in order of first use; for {@code a.b} the
   * variable is {@code a}.
   */
  public static Set<String> used(String text) {
    Set<String> names = new LinkedHashSet<>();
    if (text == null) {
      return names;
    }
    try {
      Mustache.compiler()
          .compile(text)
          .visit(
              new Mustache.Visitor() {
                @Override
                public void visitText(String text) {}

                @Override
                public void visitVariable(String name) {
                  add(name);
                }

                @Override
                public boolean visitInclude(String name) {
                  return false;
                }

                @Override
                public boolean visitSection(String name) {
                  add(name);
                  return true;
                }

                @Override
                public boolean visitInvertedSection(String name) {
                  add(name);
                  return true;
                }

                private void add(String name) {
                  String n = name.trim();
                  if (!BUILT_IN.contains(n)) {
                    int dot = n.indexOf('.');
                    names.add(dot > 0 ? n.substring(0, dot) : n);
                  }
                }
              });
    } catch (MustacheException e) {
      throw new NotMustache(e.getMessage(), e);
    }
    return names;
  }
}
