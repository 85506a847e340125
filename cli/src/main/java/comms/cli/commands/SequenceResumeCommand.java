package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms sequence.resume ID --state-version N`: Resume a paused sequence: due stage sends go out again under the window and caps. */
@ApprovalGated
@Command(
    name = "sequence.resume",
    description = {
      "Resume a paused sequence.",
      "Due stage sends go out again under the window and caps. Name the state_version you read (comms sequence.show): a stale one is refused (exit 3) and changes nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.resume Welcome --state-version 2"
    })
public final class SequenceResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Option(names = "--state-version", required = true, paramLabel = "N", description = "The state_version you read; a stale one is refused.")
  int stateVersion;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    var service = Sequences.service(app);
    SequenceRow before = service.mine(app.identity(), id);
    return SequenceChange.apply(
        app, execute.execute, before, "sequence.resume", "resume this sequence",
        () -> service.resume(app.identity(), before.id(), stateVersion, app.audit()));
  }
}
