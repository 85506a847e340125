package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms approval.request ID --kind multipov`: opens a review that two operators other than the owner confirm. */
@ApprovalGated
@Command(
    name = "approval.request",
    description = {
      "Open a multi-person review of a recipient set.",
      "For 501-1000 recipients: two operators other than the owner confirm it with comms approval.confirm, then the owner cites --approval multipov:REVIEW_ID. Valid 24 hours."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms approval.request Welcome --kind multipov",
      "  echo yes | comms approval.request Welcome --kind multipov --execute"
    })
public final class ApprovalRequestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id (or its name).")
  String id;

  @Option(names = "--kind", required = true, paramLabel = "KIND", description = "multipov (the only kind opened as a request).")
  String kind;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (!"multipov".equals(kind)) {
      throw new CommsException(
          ExitCode.USAGE, "--kind '" + kind + "' cannot be requested; use multipov (a confirmation is given with approval.confirm, a token with approval.issue)");
    }
    return ApprovalCommands.run(app, id, execute.execute, "request", "open a multi-person review", (a, seq, hash, audit) -> a.request(app.identity(), seq, hash, audit));
  }
}
