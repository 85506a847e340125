package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.StackContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms mailboxes.list`: stage, mode, backend and the pilot mailbox roster. */
@Command(
    name = "mailboxes.list",
    description = {
      "Show the pilot mailboxes and the send-test mode.",
      "Shows the stage, the send-test mode, the execution backend and the pilot mailbox roster of the stack contract."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms mailboxes.list",
      "  comms mailboxes.list --output yaml"
    })
public final class MailboxesListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  record RosterView(StackContract s) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stack", s.stack().name());
      m.put("stage", s.stack().stage());
      m.put("mode", s.pilot().sendTest().mode());
      m.put("backend", s.pilot().executionBackend());
      List<Object> rows = new ArrayList<>();
      for (StackContract.Mailbox b : s.pilot().mailboxes()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("address", b.address());
        r.put("display_name", b.displayName());
        r.put("owner", b.owner());
        r.put("active", b.active());
        rows.add(r);
      }
      m.put("mailboxes", rows);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("pilot mailboxes");
      p.fields("stage", s.stack().stage(), "mode", s.pilot().sendTest().mode(), "backend", s.pilot().executionBackend());
      p.blank();
      List<List<String>> rows = new ArrayList<>();
      for (StackContract.Mailbox b : s.pilot().mailboxes()) {
        rows.add(List.of(b.address(), b.displayName(), b.owner().isEmpty() ? "-" : b.owner(), p.status(b.active() ? "active" : "inactive")));
      }
      p.table(List.of("ADDRESS", "NAME", "OWNER", "STATUS"), rows);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.render(new RosterView(app.bindings().stack()));
    return 0;
  }
}
