package comms.cli.commands;

import comms.cli.commands.send.Providers;
import comms.cli.App;
import comms.core.delivery.GovernedSend;
import comms.core.send.Previewer;
import comms.core.store.SendCaps;

/** Wires the one governed send path of core for a command's run: its contracts, store, evidence, identity and clock. */
public final class Governance {
  private Governance() {}

  public static GovernedSend send(App app) {
    return send(app, app.audit(), app.clock());
  }

  /** The governed path of pilot send-tests (caps, permissions, audit), without the transactional contracts. */
  public static GovernedSend pilot(App app) {
    return GovernedSend.pilot(SendCaps.of(app.store(), app.roster()), app.audit(), app.clock(), app.bindings().providers(), comms.core.store.SendPacing.of(app.store()));
  }

  /** The governed path acting for {@code audit}'s identity on {@code clock} (the worker sends as each sequence's owner, on its own clock). */
  public static GovernedSend send(App app, comms.core.operator.AuditTrail audit, java.time.Clock clock) {
    return new GovernedSend(
        new GovernedSend.Parts(
            Previewer.from(app.bindings(), app.store()::consentState, app.store()::suppressionMatch),
            app.bindings().providers(),
            app.bindings().operators(),
            Providers.directory(app),
            app.evidence(),
            SendCaps.of(app.store(), app.roster()),
            audit,
            clock,
            app::warn));
  }
}
