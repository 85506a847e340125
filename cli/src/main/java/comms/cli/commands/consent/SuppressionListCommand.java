package comms.cli.commands.consent;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.store.SuppressionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms suppression.list`: the suppressions in force (and, on request, lifted ones). */
@Command(
    name = "suppression.list",
    description = {
      "List the suppressed addresses, numbers and domains.",
      "With --all, lifted suppressions are listed too."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms suppression.list",
      "  comms suppression.list --all --output json"
    })
public final class SuppressionListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--all", description = "Include lifted suppressions (with when they were lifted).")
  boolean all;

  record ListView(List<SuppressionStore.Suppression> rows) implements View {
    @Override
    public Object tree() {
      List<Object> out = new ArrayList<>();
      for (SuppressionStore.Suppression s : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        m.put("value", s.value());
        m.put("reason", s.reason());
        m.put("created_at", s.createdAt().toString());
        m.put("removed_at", s.removedAt() == null ? null : s.removedAt().toString());
        out.add(m);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("suppressions", out);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> out = new ArrayList<>();
      for (SuppressionStore.Suppression s : rows) {
        out.add(List.of(s.kind(), s.value(), s.reason(), s.createdAt().toString(), s.removedAt() == null ? "-" : s.removedAt().toString()));
      }
      p.table(List.of("KIND", "VALUE", "REASON", "SINCE", "LIFTED"), out);
      p.blank();
      p.line(rows.size() + " suppression" + (rows.size() == 1 ? "" : "s"));
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(new ListView(app.store().listSuppressions(all)));
    return 0;
  }
}
