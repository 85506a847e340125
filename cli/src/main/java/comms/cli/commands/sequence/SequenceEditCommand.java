package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.sequence.SequenceService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms sequence.edit ID --file S.yaml --state-version N`: a new definition for a draft or paused sequence. */
@ApprovalGated
@Command(
    name = "sequence.edit",
    description = {
      "Replace a draft or paused sequence's definition.",
      "The sequence file is checked like sequence.create. Name the state_version you read: a stale one is refused (exit 3) and changes nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.edit Welcome --state-version 2 \\",
      "      --file examples/sequences/welcome.sequence.yaml"
    })
public final class SequenceEditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin VersionedSequence target;

  @Option(names = "--file", required = true, paramLabel = "S.yaml", description = "The new sequence file.")
  Path file;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SequenceService.Draft draft = Sequences.draft(app, file);
    return SequenceChange.apply(
        app, execute, target, "sequence.edit", "replace this sequence's definition (" + draft.plan().stages().size() + " stages)",
        (service, who, id, version, audit) -> service.edit(who, id, version, draft, audit));
  }
}
