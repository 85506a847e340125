package comms.cli.commands.snippet;

import comms.core.store.SnippetStore.SnippetVersion;
import java.util.List;

/** What the snippet commands share around core's calls: the variable list as typed, the approval summary, the next step. */
public final class SnippetCommands {
  private SnippetCommands() {}

  /** --variables as given, without the empty entries of '' or a trailing comma; null when not given. */
  static List<String> names(List<String> typed) {
    return typed == null ? null : typed.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  static String summary(String what, SnippetVersion v) {
    return "About to " + what + ":\n  snippet:   " + v.ref() + (v.parentId() == null ? "" : " (after " + v.parentId() + ")") + "\n  name:      " + v.name()
        + "\n  channel:   " + v.channel() + "\n  shared:    " + v.shared() + "\n  variables: "
        + (v.variables().isEmpty() ? "none" : String.join(", ", v.variables()));
  }

  /** What to do after writing {@code v}. */
  static String next(SnippetVersion v) {
    return v.shared()
        ? "written; a second operator must co-sign it before a sequence may pin it: comms snippet.cosign " + v.ref() + " --execute"
        : "written; pin it in a sequence stage with snippet: " + v.ref();
  }
}
