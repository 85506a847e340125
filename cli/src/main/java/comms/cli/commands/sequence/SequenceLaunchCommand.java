package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.replies.Replies;
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

/** `comms sequence.launch ID [--approval …]`: a draft goes live past its recipient-count gate. */
@ApprovalGated
@Command(
    name = "sequence.launch",
    description = {
      "Launch a draft sequence past its approval gate.",
      "Every recipient becomes due its first stage, sent by comms sequence.run under the window, holidays and caps.",
      "A sequence with more than one stage needs its owner's reply watch healthy (comms replies.sync within the last few minutes, see comms replies.status), so a reply stops it before a later stage goes; otherwise the launch is refused (exit 4).",
      "The recipient count picks the approval gate: 1-50 none; 51-500 --approval confirm:APPROVER; 501-1000 --approval multipov:REVIEW_ID; 1001+ --approval token:TOKEN. Each cites what a person recorded (comms approval.confirm, approval.request, approval.issue) for this exact recipient set within the last 24 hours; a gate not met is exit 4 and the sequence stays a draft."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.launch Welcome",
      "  comms sequence.launch Welcome --approval confirm:sam@lakesideprint.com"
    })
public final class SequenceLaunchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Option(names = "--state-version", paramLabel = "N", description = "The state_version you read (default: the current one).")
  Integer stateVersion;

  @Option(names = "--approval", paramLabel = "KIND:VALUE", description = "confirm:APPROVER_EMAIL, multipov:REVIEW_ID or token:TOKEN, as the recipient count needs.")
  String approval;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    var service = Sequences.service(app);
    SequenceRow before = service.mine(app.identity(), id);
    int version = stateVersion == null ? before.stateVersion() : stateVersion;
    return SequenceChange.apply(
        app, execute.execute, before, "sequence.launch", "launch this sequence",
        () -> service.launch(app.identity(), before.id(), version, approval, Replies.watches(app).launchGate(app.clock()), app.audit()));
  }
}
