package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms approval.confirm ID --as APPROVER`: an operator other than the owner confirms the sequence's recipient set. */
@ApprovalGated
@Command(
    name = "approval.confirm",
    description = {
      "Confirm a sequence's recipients as a 2nd operator.",
      "Run as an operator other than the owner (--as APPROVER): the owner may then cite it with --approval confirm:APPROVER for 51-500 recipients. It also counts as one confirmation of every open multi-person review of the same set. Valid 24 hours; adding a recipient voids it."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms approval.confirm Welcome --as sam@lakesideprint.com",
      "  echo yes | comms approval.confirm Welcome --as sam@lakesideprint.com --execute"
    })
public final class ApprovalConfirmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id (or its name).")
  String id;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    return ApprovalCommands.run(app, id, execute.execute, "confirm", "confirm this sequence's recipients", (a, seq, hash, audit) -> a.confirm(app.identity(), seq, hash, audit));
  }
}
