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

/** `comms sequence.pause ID --state-version N`: Pause an active sequence: nothing more is sent until it is resumed. */
@ApprovalGated
@Command(
    name = "sequence.pause",
    description = {
      "Pause an active sequence.",
      "Nothing more is sent until it is resumed. Name the state_version you read (comms sequence.show): a stale one is refused (exit 3) and changes nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.pause Welcome --state-version 2"
    })
public final class SequencePauseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin VersionedSequence target;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    return SequenceChange.apply(App.of(spec), execute, target, "sequence.pause", "pause this sequence", SequenceService::pause);
  }
}
