package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.receipt.Receipts;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms receipts.show RUN-KEY`: one run's receipt. */
@Command(
    name = "receipts.show",
    description = {
      "Show one run's receipt.",
      "Shows capability, redacted arguments, mode, approval, exit code, times and artifacts."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms receipts.show latest",
      "  comms receipts.show latest --output json"
    })
public final class ReceiptsShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN-KEY", description = "A run key from `comms receipts.list`, or `latest` for the newest receipt.")
  String runKey;

  record ShowView(Map<String, Object> receipt) implements View {
    @Override
    public Object tree() {
      return receipt;
    }

    @Override
    public void table(Table.Printer p) {
      p.line(comms.core.json.Yaml.dump(receipt).stripTrailing());
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Receipts receipts = new Receipts(app.outboxDir());
    String key = runKey;
    if ("latest".equals(runKey)) {
      key = receipts.list(1).stream().findFirst()
          .orElseThrow(() -> new comms.core.CommsException(comms.core.ExitCode.USAGE, "no receipts yet in " + receipts.dir()));
    }
    app.render(new ShowView(receipts.read(key)));
    return 0;
  }
}
