package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.mail.BodyFile;
import comms.core.mail.SendTest;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.provider.ProviderException;
import comms.core.store.SendCaps;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    Identity who = app.identity();
    StackContract stack = app.bindings().stack();
    app.mode(stack.pilot().sendTest().mode());
    ProvidersContract.Provider graph = LiveAdapters.pilotProvider(stack, app.bindings().providers());
    AuditTrail.Action action =
        AuditTrail.Action.of("mail.send.test", "delivery", null)
            .with("mode", stack.pilot().sendTest().mode())
            .with("recipient_sha256", AuditTrail.hash(to));
    String mailbox = from != null ? from : ownMailbox(stack, who);
    if (mailbox == null) {
      Approval.refuse(
          app, execute,
          new Permissions.Refusal("no_own_mailbox", "every active pilot mailbox belongs to another operator; ask an admin for one of your own, or act as its owner (--as)"),
          action);
    }
    Optional<StackContract.Mailbox> chosen = mailbox == null ? Optional.empty() : stack.pilot().mailbox(mailbox).filter(StackContract.Mailbox::active);
    if (chosen.isPresent()) {
      Optional<Permissions.Refusal> refused = Permissions.sendFrom(who, chosen.get());
      if (refused.isPresent()) {
        Approval.refuse(app, execute, refused.get(), action);
      }
    }
    SendTest.LiveMailer live = LiveMail.mailer(app, graph);
    SendTest test = new SendTest(stack, graph.name(), app.evidence(), SimulatedMailbox.of(app), live, app.clock());
    SendCaps caps = SendCaps.of(app.store(), app.roster());
    String[] capped = {null};
    Instant[] taken = {null};
    SendTest.Outcome o;
    try {
      o =
          test.run(
              new SendTest.Request(mailbox, to, subject, text, execute, app.runKey(), who.owner()),
              app.approver(),
              () -> {
                Instant at = app.clock().instant();
                Optional<String> refusal = caps.take(who.owner(), at);
                capped[0] = refusal.orElse(null);
                taken[0] = refusal.isEmpty() ? at : null;
                return refusal;
              });
    } catch (CommsException e) {
      if (taken[0] != null && e instanceof ProviderException pe && !pe.mayHaveSent()) {
        // Graph refused the message (or was never reached): it does not count against the caps.
        caps.giveBack(who.owner(), taken[0]);
      }
      if (execute && e.exitCode() != ExitCode.USAGE && e.exitCode() != ExitCode.CONTRACT) {
        app.audit().record(
            action.with("outcome", e instanceof ProviderException pe ? pe.status() : "error")
                .with("approval", "approved")
                .with("error", e instanceof ProviderException pe ? AuditTrail.errorCode(pe.errorCode()) : "exit_" + e.exitCode().code())
                .with("exit_code", e.exitCode().code()));
      }
      throw e;
    }
    if (execute) {
      AuditTrail.Action done =
          new AuditTrail.Action(action.verb(), action.resourceType(), o.deliveryId(), action.payload())
              .with("outcome", o.status())
              .with("approval", o.approval());
      if (capped[0] != null) {
        done = done.with("error", capped[0]);
      } else if (o.status().equals("declined")) {
        done = done.with("error", "approval_declined");
      }
      app.audit().record(done.with("exit_code", o.exit().code()));
    }
    if (capped[0] != null) {
      app.err().println("comms: " + SendCaps.explain(who.owner(), capped[0]));
      app.err().flush();
    }
    if (!execute) {
      app.approval("not-asked");
    }
    app.render(new TestView(o));
    return o.exit().code();
  }

  /** The default sender: the operator's own first active pilot mailbox, else the first active one nobody owns. */
  static String ownMailbox(StackContract stack, Identity who) {
    List<StackContract.Mailbox> active = stack.pilot().activeMailboxes();
    for (StackContract.Mailbox m : active) {
      if (m.owner() != null && OperatorsContract.normalize(m.owner()).equals(who.owner())) {
        return m.address();
      }
    }
    for (StackContract.Mailbox m : active) {
      if (m.owner() == null || m.owner().isBlank()) {
        return m.address();
      }
    }
    return null;
  }
}
