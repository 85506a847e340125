package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.delivery.TransactionalSend;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Sender;
import comms.core.provider.ProviderException;
import comms.core.send.Preview;
import comms.core.store.SendCaps;
import comms.core.send.Previewer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
      "Send one transactional message under every policy gate, with manual approval.",
      "Without --execute it is a dry run: the preview, and nothing written.",
      "With --execute: a blocked or deferred preview stops (exit 4, recorded); otherwise the",
      "prompt on stderr shows exactly what will be sent and reads one line from stdin. Only",
      "`yes` approves (echo yes | comms send.execute … --execute); anything else declines",
      "(exit 5, recorded). The same idempotency key sends once: running it again reports the",
      "earlier result. Evidence: one line in communications-delivery-log.jsonl and",
      "communications-transaction-last.yaml in the outbox."
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
  record ExecuteView(TransactionalSend.Outcome o, String runKey) implements View {
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
    Identity who = app.identity();
    var request = send.request(app);
    app.mode(request.live() ? "live" : "simulation");
    TransactionalSend sender =
        new TransactionalSend(
            Previewer.from(app.bindings(), app.store()::consentState, app.store()::suppressionMatch),
            app.bindings().providers(),
            Providers.directory(app),
            app.evidence(),
            app.clock(),
            app::warn);
    SendCaps caps = SendCaps.of(app.store(), app.roster());
    OperatorsContract operators = app.bindings().operators();
    boolean[] fromOperator = {false};
    // A finished send's audit row is committed with its done mark in the store: a run killed in
    // between leaves the key in flight (the next run reconciles it and writes the row), never a
    // send marked done without its row.
    TransactionalSend.Outcome[] audited = {null};
    sender.completion(
        (done, markDone) -> {
          app.audit().apply(action(done, fromOperator[0]), () -> {
            markDone.run();
            return null;
          }, x -> Map.of());
          audited[0] = done;
        });
    TransactionalSend.Outcome o;
    try {
      o =
          sender.run(
              new TransactionalSend.Request(request, idempotencyKey, execute, retryInterrupted, app.runKey(), who.owner()),
              app.approver(),
              new TransactionalSend.Admission() {
                /** When this run's cap unit was taken (null: none taken, or given back). */
                private Instant taken;

                @Override
                public Optional<String> refuse(Preview p, TransactionalSend.Request r) {
                  Instant at = app.clock().instant();
                  Optional<String> no = caps.take(who.owner(), at);
                  taken = no.isEmpty() ? at : null;
                  return no;
                }

                @Override
                public void withdrawn(Preview p, TransactionalSend.Request r) {
                  // A send the provider refused (or never got) does not count against the operator's caps.
                  if (taken != null) {
                    caps.giveBack(who.owner(), taken);
                    taken = null;
                  }
                }
              },
              (provider, p) -> {
                String from = Sender.emailFrom(operators, provider.name(), p.channel(), who.operator());
                fromOperator[0] = from != null;
                return from;
              });
    } catch (CommsException e) {
      if (execute && e.exitCode() != ExitCode.USAGE && e.exitCode() != ExitCode.CONTRACT) {
        app.audit().record(
            AuditTrail.Action.of("send.execute", "delivery", null)
                .with("outcome", "error")
                .with("channel", request.channel())
                .with("message_type", request.messageType())
                .with("recipient_sha256", AuditTrail.hash(request.to()))
                .with("error", e instanceof ProviderException pe ? AuditTrail.errorCode(pe.errorCode()) : "exit_" + e.exitCode().code())
                .with("exit_code", e.exitCode().code()));
      }
      throw e;
    }
    if (execute && audited[0] != o) {
      app.audit().record(action(o, fromOperator[0]));
    }
    if (!execute) {
      app.approval("not-asked");
    }
    app.render(new ExecuteView(o, app.runKey()));
    if (o.exit().code() != 0 && o.note() != null) {
      String cap = o.status().equals("failed") ? SendCaps.explain(who.owner(), o.error()) : null;
      app.err().println("comms: " + (cap != null ? cap : o.note()));
      app.err().flush();
    } else if (o.status().equals("duplicate")) {
      app.warn(o.note());
    }
    return o.exit().code();
  }

  /** The audit row of an executed send: what happened, with the recipient only as a hash. */
  static AuditTrail.Action action(TransactionalSend.Outcome o, boolean fromOperator) {
    Preview p = o.preview();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", o.status());
    m.put("approval", o.approval());
    m.put("channel", p.channel());
    m.put("message_type", p.messageType());
    m.put("provider", p.provider());
    m.put("mode", p.mode());
    m.put("recipient_sha256", AuditTrail.hash(p.to()));
    m.put("from_operator", fromOperator);
    m.put("attempts", o.attempts());
    if (o.status().equals("blocked") && !p.allowed()) {
      m.put("gates_failed", p.failures().stream().map(g -> g.name()).toList());
      if (p.nextAllowedAt() != null) {
        m.put("next_allowed_at", p.nextAllowedAt().toString());
      }
    } else if (o.status().equals("blocked")) {
      m.put("error", "dispatch_in_progress");
    } else if (o.status().equals("declined")) {
      m.put("error", "approval_declined");
    } else if (o.error() != null) {
      m.put("error", AuditTrail.errorCode(o.error()));
    }
    m.put("exit_code", o.exit().code());
    return new AuditTrail.Action("send.execute", "delivery", o.deliveryId(), m);
  }
}
