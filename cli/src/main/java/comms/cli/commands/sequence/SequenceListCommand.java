package comms.cli.commands.sequence;

import comms.cli.App;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms sequence.list`: the sequences the acting operator may see. */
@Command(
    name = "sequence.list",
    description = {
      "List your sequences with their state and version.",
      "An admin sees every operator's. Each row shows state, state_version and recipients by state."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.list",
      "  comms sequence.list --as sam@lakesideprint.com --output json"
    })
public final class SequenceListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(view(app));
    return 0;
  }

  /** The sequences the run's identity may see, with recipients by state (the MCP server's list_sequences too). */
  public static SequenceViews.ListView view(App app) {
    List<SequenceRow> rows = Sequences.service(app).list(app.identity());
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (SequenceRow s : rows) {
      counts.put(s.id(), SequenceStore.of(app.store()).counts(s.id()));
    }
    return new SequenceViews.ListView(rows, counts);
  }
}
