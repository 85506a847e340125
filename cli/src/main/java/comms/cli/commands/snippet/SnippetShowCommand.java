package comms.cli.commands.snippet;

import comms.cli.App;
import comms.core.snippet.SnippetService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms snippet.show ID[@VERSION]`: one version, its text, and the chain of versions it belongs to. */
@Command(
    name = "snippet.show",
    description = {
      "Show a snippet version, its text and its history.",
      "ID alone shows the latest version. Private snippets show only to their owner (and admins)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.show renewal",
      "  comms snippet.show renewal@1 --output json"
    })
public final class SnippetShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID[@VERSION]", description = "The snippet, optionally one version of it.")
  String ref;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SnippetService.Shown s = Snippets.service(app).show(app.identity(), ref);
    app.render(new SnippetViews.VersionView(s.version(), s.history(), true, null));
    return 0;
  }
}
