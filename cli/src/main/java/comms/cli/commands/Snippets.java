package comms.cli.commands;

import comms.cli.App;
import comms.core.snippet.SnippetService;
import comms.core.store.SnippetStore;

/** Wires the snippet library of core for a command's run: its store and clock. */
final class Snippets {
  private Snippets() {}

  static SnippetService service(App app) {
    return new SnippetService(SnippetStore.of(app.store()), app.clock());
  }
}
