package comms.cli.commands.sequence;

import comms.cli.App;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms sequence.recipients ID`: every enrollment with its state, next stage and due time. */
@Command(
    name = "sequence.recipients",
    description = {
      "List a sequence's recipients and their state.",
      "Each recipient's state (active, paused, replied, bounced, opted_out, completed, stopped), next stage, next due time and reason."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.recipients Welcome",
      "  comms sequence.recipients Welcome --output json"
    })
public final class SequenceRecipientsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SequenceRow s = Sequences.service(app).mine(app.identity(), id);
    app.render(new SequenceViews.RecipientsView(s.id(), EnrollmentStore.of(app.store()).inSequence(s.id())));
    return 0;
  }
}
