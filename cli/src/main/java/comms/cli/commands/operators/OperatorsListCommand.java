package comms.cli.commands.operators;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms operators.list`: the roster, with each operator's caps and what they used today and this minute. */
@Command(
    name = "operators.list",
    description = {
      "List the operators, their roles and send caps.",
      "Shows address, name, role, daily and per-minute send caps (with what each used so far, in UTC days and minutes), active or not, and where the row came from (the operators contract, or operators.add).",
      "The contract seeds the roster in the store on the first write; until then this shows the contract's. The default operator is marked."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms operators.list",
      "  comms operators.list --output json"
    })
public final class OperatorsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** One operator and their cap usage. */
  record Row(Roster.Operator op, SendCaps.Usage usage) {}

  record RosterView(List<Row> rows, String defaultOperator, Instant at) implements View {
    @Override
    public Object tree() {
      List<Object> out = new ArrayList<>();
      for (Row r : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", r.op().email());
        m.put("display_name", r.op().displayName());
        m.put("role", r.op().role());
        m.put("daily_cap", r.op().dailyCap());
        m.put("per_minute_cap", r.op().perMinuteCap());
        m.put("used_today", r.usage().today());
        m.put("used_this_minute", r.usage().thisMinute());
        m.put("active", r.op().active());
        m.put("source", r.op().source());
        m.put("seeded", r.op().stored());
        out.add(m);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("default_operator", defaultOperator);
      m.put("at", at.toString());
      m.put("operators", out);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(
            List.of(
                r.op().email() + (r.op().email().equals(defaultOperator) ? " (default)" : ""),
                r.op().displayName(),
                r.op().role(),
                r.usage().today() + "/" + r.op().dailyCap(),
                r.usage().thisMinute() + "/" + r.op().perMinuteCap(),
                p.status(r.op().active() ? "active" : "inactive"),
                r.op().source() + (r.op().stored() ? "" : " (not seeded yet)")));
      }
      p.table(List.of("OPERATOR", "NAME", "ROLE", "TODAY", "THIS MINUTE", "STATUS", "SOURCE"), out);
      p.blank();
      p.line(rows.size() + " operator" + (rows.size() == 1 ? "" : "s") + "; caps count UTC days and minutes (now " + at + ")");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Roster roster = app.roster();
    SendCaps caps = SendCaps.of(app.store(), roster);
    Instant now = app.clock().instant();
    List<Row> rows = new ArrayList<>();
    for (Roster.Operator op : roster.list()) {
      rows.add(new Row(op, caps.usage(op.email(), now)));
    }
    app.render(new RosterView(rows, roster.contract().defaultOperator(), now));
    return 0;
  }
}
