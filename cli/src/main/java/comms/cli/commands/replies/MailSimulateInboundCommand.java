package comms.cli.commands.replies;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.send.Recipient;
import comms.cli.commands.sequence.Approval;
import comms.cli.commands.sequence.Sequences;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.AuditTrail;
import comms.core.reply.SimulatedInbound;
import comms.core.store.SentMessages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms mail.simulate-inbound`: put a reply (or an auto-reply, a bounce) into an owner's simulated inbox. */
@ApprovalGated
@Command(
    name = "mail.simulate-inbound",
    description = {
      "Put inbound mail into the simulated inbox.",
      "Delivers a message into an owner's inbox in simulation (the outbox), as if the recipient had answered, so replies.sync and every reply path run offline. --in-reply-to names the Message-ID answered (last: the newest one the owner sent --from). --header adds headers such as Auto-Submitted:auto-replied. --fixtures FILE delivers many: a YAML list under messages: of from, to, subject, body, in_reply_to, headers, or eml: FILE.eml with to. Simulation only."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  echo yes | comms mail.simulate-inbound --from ava@example.com \\",
      "      --to dana@lakesideprint.com --subject \"Re: Welcome\" \\",
      "      --body \"Call me\" --execute",
      "  comms mail.simulate-inbound --to dana@lakesideprint.com \\",
      "      --from lee@example.com --header Auto-Submitted:auto-replied",
      "  echo yes | comms mail.simulate-inbound \\",
      "      --fixtures examples/replies/inbound.yaml --execute"
    })
public final class MailSimulateInboundCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", paramLabel = "ADDRESS", description = "Who the message is from (Name <a@b> or a@b).")
  String from;

  @Option(names = "--to", paramLabel = "OWNER", description = "The owner whose inbox gets it (with --fixtures: the default for entries without to).")
  String to;

  @Option(names = "--in-reply-to", paramLabel = "ID|last", description = "The Message-ID it answers, or last: the newest one the owner sent --from.")
  String inReplyTo;

  @Option(names = "--subject", paramLabel = "TEXT", defaultValue = "", description = "The subject.")
  String subject;

  @Option(names = "--body", paramLabel = "TEXT", defaultValue = "", description = "The plain-text body.")
  String body;

  @Option(names = "--header", paramLabel = "NAME:VALUE", description = "An extra header (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--fixtures", paramLabel = "FILE", description = "Deliver every message of this YAML file instead.")
  Path fixtures;

  @Mixin ExecuteOption execute;

  record DeliveredView(List<SimulatedInbound.Delivered> delivered, boolean applied) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("applied", applied);
      m.put("messages", delivered.stream().map(d -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("id", d.id());
        x.put("owner", d.owner());
        x.put("from", d.from());
        x.put("in_reply_to", d.inReplyTo());
        return x;
      }).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading(applied ? delivered.size() + " message(s) in the simulated inbox" : "dry run: " + delivered.size() + " message(s) would be delivered");
      p.table(List.of("id", "owner", "from", "in reply to"),
          delivered.stream().map(d -> List.of(d.id() == null ? "-" : d.id(), d.owner(), d.from() == null ? "-" : d.from(), d.inReplyTo() == null ? "-" : d.inReplyTo())).toList());
      p.line("comms replies.sync reads them");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    if (Replies.live(app)) {
      throw new CommsException(ExitCode.CONTRACT, "mail.simulate-inbound writes the simulated inbox; the delivery contract is live, where replies come from the owners' real inboxes");
    }
    List<SimulatedInbound.Item> items;
    if (fixtures != null) {
      if (from != null || inReplyTo != null || !headers.isEmpty() || !subject.isEmpty() || !body.isEmpty()) {
        throw new CommsException(ExitCode.USAGE, "--fixtures gives the messages; leave out --from, --subject, --body, --in-reply-to and --header");
      }
      items = SimulatedInbound.fixtures(Sequences.input(app, fixtures), to == null ? null : Recipient.check("--to", to));
    } else {
      if (from == null || to == null) {
        throw new CommsException(ExitCode.USAGE, "give --from and --to (the owner), or --fixtures FILE");
      }
      List<Map.Entry<String, String>> h = new ArrayList<>();
      headers.forEach(x -> h.add(SimulatedInbound.header(x, "--header")));
      items = List.of(new SimulatedInbound.Item(Recipient.check("--to", to), from, subject, body, inReplyTo, h, null, "the options"));
    }
    SimulatedInbound inbound = new SimulatedInbound(Replies.simulatedInbox(app), SentMessages.of(app.store()));
    app.mode("simulation");
    List<SimulatedInbound.Delivered> checked = inbound.deliver(items, app.clock().instant(), false);
    AuditTrail.Action action = AuditTrail.Action.of("mail.simulate-inbound", "inbound_mail", null).with("messages", checked.size());
    if (!Approval.granted(app, execute.execute, "About to put " + checked.size() + " message(s) into the simulated inbox (nothing leaves this machine)", action)) {
      app.render(new DeliveredView(checked, false));
      return 0;
    }
    List<SimulatedInbound.Delivered> done = inbound.deliver(items, app.clock().instant(), true);
    app.audit().record(action.with("outcome", "delivered").with("exit_code", 0));
    app.artifact(app.outbox().simulatedInbox());
    app.render(new DeliveredView(done, true));
    return 0;
  }
}
