package comms.cli.commands.send;

import comms.cli.commands.Governance;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.delivery.GovernedSend;
import comms.core.delivery.SendOutcome;
import comms.core.delivery.TransactionalSend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms send.execute`: a governed transactional send with manual approval. */
@ApprovalGated
@Command(
    name = "send.execute",
    description = {
      "Send one transactional message, with approval.",
      "Every policy gate runs first. Without --execute it is a dry run: the preview, and nothing written.",
      "With --execute: a blocked or deferred preview stops (exit 4, recorded); otherwise the prompt on stderr shows exactly what will be sent and reads one line from stdin. Only yes approves (echo yes | comms send.execute ... --execute); anything else declines (exit 5, recorded).",
      "The same idempotency key sends once: running it again reports the earlier result. Evidence: one line in communications-delivery-log.jsonl and communications-transaction-last.yaml in the outbox."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms send.execute --channel sms --message-type payment_needed \\",
      "      --to +15551234567 --consent-state opted-in \\",
      "      --vars-file examples/vars/payment_needed.json",
      "  echo yes | comms send.execute --channel sms --message-type payment_needed \\",
      "      --to +15551234567 --consent-state opted-in \\",
      "      --vars-file examples/vars/payment_needed.json --execute"
    })
public final class SendExecuteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SendOptions send;

  @Option(names = "--execute", description = "Really send (after approval). Without it: a dry run that writes nothing.")
  boolean execute;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Sends with the same key happen once (default: derived from channel, message type, recipient and body).")
  String idempotencyKey;

  @Option(
      names = "--retry-interrupted",
      description = "Re-send a message whose earlier run died mid-dispatch, or got no answer, through a provider that cannot de-duplicate (Twilio), after you checked it did not arrive.")
  boolean retryInterrupted;

  /** The preview plus what execution did. */
  public record ExecuteView(TransactionalSend.Outcome o, String runKey) implements View {
    @Override
    public Object tree() {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) new SendPreviewCommand.PreviewView(o.preview()).tree());
      m.put("status", o.status());
      m.put("approval", o.approval());
      m.put("delivery_id", o.deliveryId());
      m.put("idempotency_key", o.idempotencyKey());
      m.put("provider_message_id", o.providerMessageId());
      m.put("attempts", o.attempts());
      m.put("error", o.error());
      m.put("run_key", runKey);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      new SendPreviewCommand.PreviewView(o.preview()).table(p);
      p.blank();
      p.heading("execution");
      p.fields(
          "status", p.status(o.status()),
          "approval", o.approval(),
          "delivery id", o.deliveryId(),
          "idempotency key", o.idempotencyKey(),
          "provider message", o.providerMessageId(),
          "run key", runKey);
      if (o.note() != null) {
        p.line(o.note());
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    var request = send.request(app);
    app.mode(request.live() ? "live" : "simulation");
    SendOutcome outcome =
        Governance.send(app)
            .send(new GovernedSend.Request(request, idempotencyKey, execute, retryInterrupted, app.runKey(), "send.execute"), app.approver());
    TransactionalSend.Outcome o = outcome.detail();
    if (!execute) {
      app.approval("not-asked");
    }
    app.render(new ExecuteView(o, app.runKey()));
    if (o.exit().code() != 0 && o.note() != null) {
      app.why(o.exit(), GovernedSend.explain(app.identity().owner(), outcome));
    } else if (outcome instanceof SendOutcome.Duplicate) {
      app.warn(o.note());
    }
    return o.exit().code();
  }
}
