package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.consent.InboundKeyword;
import comms.core.contract.Channels;
import java.util.LinkedHashMap;
import java.util.Map;
import comms.core.operator.AuditTrail;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms inbound.sms`: apply the carrier keywords of an inbound SMS and print the reply to send. */
@ApprovalGated
@Command(
    name = "inbound.sms",
    description = {
      "Apply the carrier keywords to an inbound SMS.",
      "Handles an inbound SMS under the keyword rules of the policy: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT record an opt-out; START, UNSTOP an opt-in; HELP answers with the help text. The whole message is the keyword (trimmed, any case).",
      "Prints the reply that should be sent back. Recording consent needs --execute and a yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms inbound.sms --from +15551234567 --body STOP",
      "  echo yes | comms inbound.sms --from +15551234567 --body START --execute"
    })
public final class InboundSmsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "NUMBER", description = "The sender's E.164 number.")
  String from;

  @Option(names = "--body", required = true, paramLabel = "TEXT", description = "The message text.")
  String body;

  @Option(names = "--execute", description = "Record the consent change (after approval). Without it: a dry run.")
  boolean execute;

  record InboundView(String from, InboundKeyword k, boolean recorded) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", from);
      m.put("keyword", k.keyword());
      m.put("action", k.action().name().replace('_', '-'));
      m.put("consent_state", k.consentState());
      m.put("recorded", recorded);
      m.put("reply", k.reply());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields(
          "from", from,
          "keyword", k.keyword() == null ? "(none)" : k.keyword(),
          "action", k.action().name().replace('_', '-'),
          "consent", k.consentState() == null ? "unchanged" : k.consentState() + (recorded ? " (recorded)" : " (not recorded: dry run)"),
          "reply", k.reply() == null ? "(no reply)" : k.reply());
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    String who = Recipient.check("--from", from);
    InboundKeyword k = InboundKeyword.classify(body, app.bindings().policy().keywords());
    boolean recorded = false;
    AuditTrail.Action action =
        k.consentState() == null
            ? null
            : AuditTrail.Action.of("inbound.sms", "consent", AuditTrail.hash(who))
                .with("channel", Channels.SMS)
                .with("keyword", k.keyword())
                .with("state", k.consentState());
    if (k.consentState() != null
        && Approval.granted(app, execute, "Inbound " + k.keyword() + " from " + who + ": about to record sms consent " + k.consentState(), action)) {
      app.audit().apply(action, () -> {
        app.store().recordConsent(Channels.SMS, who, k.consentState(), "inbound sms keyword " + k.keyword(), app.clock().instant());
        return true;
      }, x -> AuditTrail.outcome("applied", 0));
      app.artifact(app.outbox().store());
      recorded = true;
    }
    app.render(new InboundView(who, k, recorded));
    return 0;
  }
}
