package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.mail.SendTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms mail.send.test`: a pilot test message from a pilot mailbox, with manual approval. */
@ApprovalGated
@Command(
    name = "mail.send.test",
    description = {
      "Send a pilot test message from a pilot mailbox, with manual approval.",
      "The subject is tagged with a unique token; `comms mail.search --query \"subject:TOKEN\"`",
      "then confirms delivery. In simulation the message is delivered to the simulated mailbox;",
      "in live-pilot mode it is sent through Microsoft Graph.",
      "Evidence: communications-send-test-last.yaml and a delivery-log line in the outbox."
    })
public final class MailSendTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Recipient email address.")
  String to;

  @Option(names = "--subject", required = true, paramLabel = "TEXT", description = "Subject (the prefix and token are added).")
  String subject;

  @Option(names = "--body", required = true, paramLabel = "TEXT", description = "Plain-text body.")
  String body;

  @Option(names = "--from", paramLabel = "MAILBOX", description = "The pilot mailbox to send from (default: the first active one).")
  String from;

  @Option(names = "--execute", description = "Really send (after approval). Without it: a dry run that writes nothing.")
  boolean execute;

  record TestView(SendTest.Outcome o) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", o.status());
      m.put("mode", o.mode());
      m.put("from", o.from());
      m.put("to", o.to());
      m.put("subject", o.subject());
      m.put("token", o.token());
      m.put("delivery_id", o.deliveryId());
      m.put("approval", o.approval());
      m.put("confirm_with", "comms mail.search --query \"subject:" + o.token() + "\"");
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("pilot send-test");
      p.fields("status", p.status(o.status()), "mode", o.mode(), "from", o.from(), "to", o.to(), "subject", o.subject(),
          "token", o.token(), "delivery id", o.deliveryId(), "approval", o.approval());
      p.blank();
      p.line(o.status().equals("dry-run")
          ? "dry run: nothing was sent or written; add --execute to send"
          : "confirm delivery: comms mail.search --query \"subject:" + o.token() + "\"");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    StackContract stack = app.bindings().stack();
    app.mode(stack.pilot().sendTest().mode());
    ProvidersContract.Provider graph = LiveAdapters.pilotProvider(stack, app.bindings().providers());
    SendTest.LiveMailer live = LiveMail.mailer(app, graph);
    SendTest test = new SendTest(stack, graph.name(), app.evidence(), SimulatedMailbox.of(app), live, app.clock());
    SendTest.Outcome o = test.run(new SendTest.Request(from, to, subject, body, execute, app.runKey(), null), app.approver());
    if (!execute) {
      app.approval("not-asked");
    }
    app.render(new TestView(o));
    return o.exit().code();
  }
}
