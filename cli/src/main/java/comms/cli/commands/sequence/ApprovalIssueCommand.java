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

/** `comms approval.issue ID`: an admin mints a single-use approval token for the sequence's recipient set. */
@ApprovalGated
@Command(
    name = "approval.issue",
    description = {
      "Issue a single-use approval token (admins only).",
      "As an admin other than the owner, issue a token for a sequence's current recipient set (1001+ recipients). The token is printed once and stored only as its SHA-256; the owner cites --approval token:TOKEN within 24 hours."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms approval.issue Welcome"
    })
public final class ApprovalIssueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id (or its name).")
  String id;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    return ApprovalCommands.run(app, id, execute.execute, "issue", "issue an approval token", (a, seq, hash, audit) -> a.issue(app.identity(), seq, hash, audit));
  }
}
