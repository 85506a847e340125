package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.sequence.SequenceService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin VersionedSequence target;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    return SequenceChange.apply(App.of(spec), execute, target, "sequence.resume", "resume this sequence", SequenceService::resume);
  }
}
