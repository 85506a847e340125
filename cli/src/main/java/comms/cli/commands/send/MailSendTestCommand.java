package comms.cli.commands.send;

import comms.cli.commands.Governance;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.delivery.GovernedSend;
import comms.core.mail.BodyFile;
import comms.core.mail.SendTest;
import comms.core.mail.SimulatedMailbox;
import comms.core.store.SendCaps;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms mail.send.test`: a pilot test message from a pilot mailbox, with manual approval. */
@ApprovalGated
@Command(
    name = "mail.send.test",
    description = {
      "Send a pilot test message, with approval.",
      "Sends from a pilot mailbox the acting operator owns (or nobody owns) and counts against their send caps. The subject is tagged with a unique token; comms mail.search --query \"subject:TOKEN\" then confirms delivery. In simulation the message is delivered to the simulated mailbox; in live-pilot mode it is sent through Microsoft Graph.",
      "Evidence: communications-send-test-last.yaml and a delivery-log line in the outbox.",
      "The subject is one line: a line break or other control character in --subject or --from is refused (exit 2). The body comes from --body or --body-file (not both)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms mail.send.test --to dana@lakesideprint.com --subject \"pilot test\" \\",
      "      --body hello",
      "  echo yes | comms mail.send.test --to dana@lakesideprint.com \\",
      "      --subject \"pilot test\" --body hello --execute"
    })
public final class MailSendTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Recipient email address.")
  String to;

  @Option(
      names = "--subject",
      required = true,
      paramLabel = "TEXT",
      description = "Subject, one line (the prefix and token are added); line breaks and control characters are refused.")
  String subject;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Body body;

  /** The body, given inline or read from a file; exactly one of the two. */
  static final class Body {
    @Option(names = "--body", required = true, paramLabel = "TEXT", description = "Plain-text body.")
    String text;

    @Option(
        names = "--body-file",
        required = true,
        paramLabel = "FILE",
        description = "Read the plain-text body from FILE (UTF-8, at most 1 MB); instead of --body.")
    Path file;

    String read() {
      return text != null ? text : BodyFile.read(file);
    }
  }

  @Option(
      names = "--from",
      paramLabel = "MAILBOX",
      description = "The pilot mailbox to send from: one the acting operator owns, or one nobody owns (default: the operator's first active one).")
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
    // Bad arguments are refused before anything is resolved, read or written.
    SendTest.checkArguments(subject, from);
    String text = body.read();
    String owner = app.identity().owner();
    StackContract stack = app.bindings().stack();
    app.mode(stack.pilot().sendTest().mode());
    ProvidersContract.Provider graph = LiveAdapters.pilotProvider(stack, app.bindings().providers());
    GovernedSend.PilotOutcome outcome =
        Governance.pilot(app)
            .sendTest(
                new GovernedSend.PilotRequest(from, to, subject, text, execute, app.runKey()),
                stack,
                () -> new SendTest(stack, graph.name(), app.evidence(), SimulatedMailbox.in(app.outbox()), LiveMail.mailer(app, graph), app.clock()),
                app.approver());
    if (outcome.capRefusal() != null) {
      app.err().println("comms: " + GovernedSend.explainRefusal(owner, outcome.capRefusal()));
      app.err().flush();
    }
    if (!execute) {
      app.approval("not-asked");
    }
    app.render(new TestView(outcome.detail()));
    return outcome.detail().exit().code();
  }
}
