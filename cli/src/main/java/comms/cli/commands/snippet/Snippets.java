package comms.cli.commands.snippet;

import comms.cli.App;
import comms.core.snippet.SnippetService;
import comms.core.store.SnippetStore;

/** Wires the snippet library of core for a command's run: its store and clock. */
public final class Snippets {
  private Snippets() {}

  public static SnippetService service(App app) {
    return new SnippetService(SnippetStore.of(app.store()), app.clock());
  }
}
