package comms.cli.commands.status;

import comms.cli.commands.send.LiveProbe;
import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.ExitCode;
import comms.core.stack.ParityCheck;
import comms.core.stack.StackStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms stack.status`: contract and infra parity, with each check's result. */
@Command(
    name = "stack.status",
    description = {
      "Check that the contracts hang together.",
      "Loads every contract and checks their parity: routes name providers that serve the channel, every template has a route and renders, the pilot mode and backend agree, a pilot mailbox is active, and the stack agrees with its infra target. Each check says pass or fail with the file and line to fix; exit 3 when any check fails.",
      "In live-pilot mode it also probes the first active pilot mailbox through Microsoft Graph (GET users/{mailbox}): exit 6 when Graph does not answer, answers with something that is not JSON, or answers with an error; exit 3 when the Graph secrets are not set."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms stack.status",
      "  comms stack.status --output json"
    })
public final class StackStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The report as shown. */
  record StatusView(StackStatus.Report report, List<ParityCheck> checks) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stack", report.stack());
      m.put("stage", report.stage());
      m.put("send_test_mode", report.sendTestMode());
      m.put("delivery_mode", report.deliveryMode());
      m.put("ok", checks.stream().allMatch(ParityCheck::passed));
      List<Object> cs = new ArrayList<>();
      for (ParityCheck c : checks) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", c.name());
        x.put("result", c.result());
        x.put("reason", c.reason());
        if (c.where() != null) {
          x.put("where", c.where());
        }
        cs.add(x);
      }
      m.put("checks", cs);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading(report.stack() == null ? "stack (contract not loaded)" : "stack " + report.stack() + " (" + report.stage() + ")");
      p.fields("send_test.mode", report.sendTestMode(), "delivery mode", report.deliveryMode());
      p.blank();
      List<List<String>> rows = new ArrayList<>();
      for (ParityCheck c : checks) {
        rows.add(List.of(p.status(c.result()), c.name(), c.reason()));
      }
      p.table(List.of("RESULT", "CHECK", "REASON"), rows);
      long failed = checks.stream().filter(c -> !c.passed()).count();
      p.blank();
      p.line(failed == 0 ? "all " + checks.size() + " checks pass" : failed + " of " + checks.size() + " checks fail");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    StackStatus.Report report = StackStatus.check(app.bindings());
    List<ParityCheck> checks = new ArrayList<>(report.checks());
    LiveProbe.Outcome probe = LiveProbe.run(app, report);
    checks.addAll(probe.checks());
    StatusView view = new StatusView(report, checks);
    app.render(view);
    if (checks.stream().allMatch(ParityCheck::passed)) {
      return ExitCode.OK.code();
    }
    // contracts that fail are exit 3; when only the probe fails, its own code (6, or 3 for missing secrets)
    boolean onlyProbe = report.passed();
    return onlyProbe ? probe.onFailure().code() : ExitCode.CONTRACT.code();
  }
}
