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

/** `comms sequence.stop ID --state-version N`: Stop a sequence for good: every live recipient ends as stopped and nothing more is sent. */
@ApprovalGated
@Command(
    name = "sequence.stop",
    description = {
      "Stop a sequence for good.",
      "Every live recipient ends as stopped and nothing more is sent. Name the state_version you read (comms sequence.show): a stale one is refused (exit 3) and changes nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.stop Welcome --state-version 2"
    })
public final class SequenceStopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin VersionedSequence target;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    return SequenceChange.apply(App.of(spec), execute, target, "sequence.stop", "stop this sequence", SequenceService::stop);
  }
}
