package comms.cli.commands;

import comms.cli.App;
import comms.core.contract.ImessageRules;
import comms.core.delivery.GovernedSend;
import comms.core.imessage.DaemonDesk;
import comms.core.imessage.ImessageOutbox;
import comms.core.imessage.ImessageStageGate;
import comms.core.imessage.PhoneConsents;
import comms.core.operator.AuditTrail;
import comms.core.send.Previewer;
import comms.core.sequence.GovernedStageSender;
import comms.core.store.RecipientPhones;
import comms.core.store.SendCaps;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Wires core's iMessage services for a run (a command, a request of comms serve, an MCP session): the contract's section, store and clock. */
public final class Imessages {
  private Imessages() {}

  public static ImessageRules rules(App app) {
    return app.bindings().sequences().imessage();
  }

  public static PhoneConsents consents(App app) {
    return new PhoneConsents(app.store(), rules(app), app.clock());
  }

  public static DaemonDesk desk(App app) {
    return new DaemonDesk(app.store(), rules(app), app.bindings().policy().keywords(), r -> app.evidence().log(r), app.clock());
  }

  public static DaemonDesk.Health health(App app) {
    return DaemonDesk.health(app.store(), rules(app), app.clock().instant());
  }

  /** The worker's gate before an iMessage stage is queued. */
  public static ImessageStageGate gate(App app) {
    return new ImessageStageGate(app.store(), rules(app));
  }

  /**
   * Gives the worker's stage sender its iMessage path: each owner's governed path (same gates, caps,
   * journal and audit, acting as {@code audits} says) whose dispatch queues the text for the daemon.
   */
  public static GovernedStageSender attach(App app, GovernedStageSender sender, Clock clock, Function<String, AuditTrail> audits) {
    ImessageOutbox outbox = new ImessageOutbox(app.store(), clock, app.runKey());
    Map<String, GovernedSend> paths = new HashMap<>();
    RecipientPhones phones = RecipientPhones.of(app.store());
    return sender.imessage(
        owner -> paths.computeIfAbsent(owner, o -> new GovernedSend(
            new GovernedSend.Parts(
                Previewer.from(app.bindings(), app.store()::consentState, app.store()::suppressionMatch),
                app.bindings().providers(),
                app.bindings().operators(),
                outbox.directory(o),
                app.evidence(),
                SendCaps.of(app.store(), app.roster()),
                audits.apply(o),
                clock,
                app::warn))),
        email -> email == null ? java.util.Optional.empty() : phones.find(email).map(RecipientPhones.PhoneConsent::phoneE164),
        outbox);
  }
}
