package comms.cli.commands.snippet;

import comms.cli.App;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms snippet.list`: the latest version of each snippet the acting operator may read. */
@Command(
    name = "snippet.list",
    description = {
      "List the snippets you may read, latest versions.",
      "Yours, and every shared one (admins see all). Each row shows whether it is co-signed."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.list",
      "  comms snippet.list --shared --output json",
      "  comms snippet.list --mine --as sam@lakesideprint.com"
    })
public final class SnippetListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--shared", description = "Only shared snippets.")
  boolean shared;

  @Option(names = "--mine", description = "Only snippets you own.")
  boolean mine;

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(new SnippetViews.ListView(Snippets.service(app).list(app.identity(), shared, mine)));
    return 0;
  }
}
