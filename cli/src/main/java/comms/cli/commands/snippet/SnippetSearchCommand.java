package comms.cli.commands.snippet;

import comms.cli.App;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms snippet.search QUERY`: ranked full-text search of the snippets the acting operator may read. */
@Command(
    name = "snippet.search",
    description = {
      "Search snippets by name, subject and body, ranked.",
      "Every word must match, as a prefix. Ranked by SQLite FTS5 bm25: a name hit counts 10, subject 5, body 1. Latest versions you may read."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.search renewal",
      "  comms snippet.search 'invoice remind' --limit 5 --output json"
    })
public final class SnippetSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUERY", description = "Words to find.")
  String query;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N hits (default 20).")
  int limit;

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (limit < 1 || limit > 200) {
      throw comms.core.CommsException.usage("--limit must be 1 to 200");
    }
    app.render(new SnippetViews.SearchView(query, Snippets.service(app).search(app.identity(), query, limit)));
    return 0;
  }
}
