package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.PolicyContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms policy.status`: the consent and compliance policy. */
@Command(
    name = "policy.status",
    description = {
      "Show the consent and compliance policy.",
      "Shows the opt-in rules per channel, quiet hours, the STOP footer, SMS limits, carrier keywords and forbidden patterns."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms policy.status",
      "  comms policy.status --output yaml"
    })
public final class PolicyStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  record PolicyView(PolicyContract p) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> consent = new LinkedHashMap<>();
      p.consent().forEach((ch, r) -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("allowed_states", r.allowedStates());
        x.put("note", r.note());
        consent.put(ch, x);
      });
      m.put("consent", consent);
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("start", p.quietHours().start().toString());
      q.put("end", p.quietHours().end().toString());
      q.put("default_zone", p.quietHours().defaultZone().getId());
      q.put("channels", p.quietHours().channels());
      m.put("quiet_hours", q);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("text", p.stopFooter().text());
      f.put("channels", p.stopFooter().channels());
      m.put("stop_footer", f);
      m.put("sms_max_segments", p.smsMaxSegments());
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("opt_out", p.keywords().optOut());
      k.put("opt_in", p.keywords().optIn());
      k.put("help", p.keywords().help());
      m.put("keywords", k);
      List<Object> fp = new ArrayList<>();
      for (PolicyContract.ForbiddenPattern x : p.forbiddenPatterns()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", x.name());
        e.put("reason", x.reason());
        fp.add(e);
      }
      m.put("forbidden_patterns", fp);
      return m;
    }

    @Override
    public void table(Table.Printer t) {
      t.heading("consent");
      List<List<String>> rows = new ArrayList<>();
      p.consent().forEach((ch, r) -> rows.add(List.of(ch, String.join(", ", r.allowedStates()), r.note())));
      t.table(List.of("CHANNEL", "ALLOWED STATES", "NOTE"), rows);
      t.line("opted-out always blocks; a recorded opt-out overrides the state a caller claims.");
      t.blank();
      t.heading("quiet hours");
      t.fields(
          "window", p.quietHours().start() + "-" + p.quietHours().end() + " recipient local time",
          "channels", String.join(", ", p.quietHours().channels()),
          "default zone", p.quietHours().defaultZone().getId() + " (when neither --recipient-tz nor the number gives one)");
      t.blank();
      t.heading("STOP footer");
      t.fields("text", p.stopFooter().text(), "channels", String.join(", ", p.stopFooter().channels()), "rule", "appended when the body lacks it");
      t.blank();
      t.heading("limits and keywords");
      t.fields(
          "sms max segments", String.valueOf(p.smsMaxSegments()),
          "opt-out keywords", String.join(" ", p.keywords().optOut()),
          "opt-in keywords", String.join(" ", p.keywords().optIn()),
          "help keywords", String.join(" ", p.keywords().help()));
      if (!p.forbiddenPatterns().isEmpty()) {
        t.blank();
        t.heading("forbidden patterns");
        List<List<String>> fr = new ArrayList<>();
        p.forbiddenPatterns().forEach(x -> fr.add(List.of(x.name(), x.reason())));
        t.table(List.of("NAME", "REASON"), fr);
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(new PolicyView(app.bindings().policy()));
    return 0;
  }
}
