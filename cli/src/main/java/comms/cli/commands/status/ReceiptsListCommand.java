package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.receipt.Receipts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms receipts.list`: the newest run receipts in the outbox. */
@Command(
    name = "receipts.list",
    description = {
      "List the run receipts, newest first.",
      "Each run's receipt is outbox/receipts/RUN-KEY.yaml."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms receipts.list --limit 5"
    })
public final class ReceiptsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N receipts (default ${DEFAULT-VALUE}).")
  int limit;

  record ListView(List<Map<String, Object>> rows) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("receipts", rows);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> out = new ArrayList<>();
      for (Map<String, Object> r : rows) {
        out.add(List.of(s(r.get("run_key")), s(r.get("capability")), s(r.get("mode")), s(r.get("approval")), s(r.get("exit_code"))));
      }
      p.table(List.of("RUN KEY", "CAPABILITY", "MODE", "APPROVAL", "EXIT"), out);
    }

    static String s(Object o) {
      return o == null ? "-" : o.toString();
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (limit < 1) {
      throw new comms.core.CommsException(comms.core.ExitCode.USAGE, "--limit must be at least 1");
    }
    Receipts receipts = new Receipts(app.outboxDir());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String key : receipts.list(limit)) {
      Map<String, Object> r = receipts.read(key);
      Map<String, Object> row = new LinkedHashMap<>();
      for (String k : List.of("run_key", "capability", "mode", "approval", "exit_code", "started_at")) {
        row.put(k, r.get(k));
      }
      rows.add(row);
    }
    app.render(new ListView(rows));
    return 0;
  }
}
