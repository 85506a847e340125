package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.mail.SendTest;
import comms.core.operator.AuditTrail;
import comms.core.operator.GovernedChange;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.provider.ProviderException;
import comms.core.store.SendCaps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The governed pilot send-test behind {@link GovernedSend#sendTest}: sender, permission, caps and audit around {@link SendTest}. */
final class PilotSend {
  static final String VERB = "mail.send.test";

  private final SendCaps caps;
  private final AuditTrail audit;
  private final Clock clock;
  private final ProvidersContract providers;
  private final ProviderRates rates;
  private final Pacer pacer;

  /** {@code providers} may be null (no rates to keep); a send-test is paced at its mailbox provider's rate otherwise. */
  PilotSend(SendCaps caps, AuditTrail audit, Clock clock, ProvidersContract providers, ProviderRates rates, Pacer pacer) {
    this.caps = caps;
    this.audit = audit;
    this.clock = clock;
    this.providers = providers;
    this.rates = rates;
    this.pacer = pacer;
  }

  GovernedSend.PilotOutcome run(GovernedSend.PilotRequest r, StackContract stack, Supplier<SendTest> build, Approver approver) {
    Identity who = audit.identity();
    AuditTrail.Action action =
        AuditTrail.Action.of(VERB, "delivery", null)
            .with("mode", stack.pilot().sendTest().mode())
            .with("recipient_sha256", AuditTrail.hash(r.to()));
    String mailbox = r.from() != null ? r.from() : ownMailbox(stack, who);
    if (mailbox == null) {
      throw GovernedChange.refuse(
          audit, r.execute(),
          new Permissions.Refusal("no_own_mailbox", "every active pilot mailbox belongs to another operator; ask an admin for one of your own, or act as its owner (--as)"),
          action);
    }
    Optional<StackContract.Mailbox> chosen = stack.pilot().mailbox(mailbox).filter(StackContract.Mailbox::active);
    if (chosen.isPresent()) {
      Optional<Permissions.Refusal> refused = Permissions.sendFrom(who, chosen.get());
      if (refused.isPresent()) {
        throw GovernedChange.refuse(audit, r.execute(), refused.get(), action);
      }
    }
    SendTest test = build.get();
    CapTaken cap = new CapTaken(who.owner(), rate(stack, mailbox, chosen));
    SendTest.Outcome o;
    try {
      o = test.run(new SendTest.Request(mailbox, r.to(), r.subject(), r.body(), r.execute(), r.runKey(), who.owner()), approver, cap, cap::answered);
    } catch (CommsException e) {
      cap.answered();
      if (cap.at != null && e instanceof ProviderException pe && !pe.mayHaveSent()) {
        // Graph refused the message (or was never reached): it does not count against the caps.
        caps.giveBack(who.owner(), cap.at);
      }
      if (r.execute() && e.exitCode() != ExitCode.USAGE && e.exitCode() != ExitCode.CONTRACT) {
        audit.record(
            action.with("outcome", e instanceof ProviderException pe ? pe.status() : "error")
                .with("approval", "approved")
                .with("error", e instanceof ProviderException pe ? AuditTrail.errorCode(pe.errorCode()) : "exit_" + e.exitCode().code())
                .with("exit_code", e.exitCode().code()));
      }
      throw e;
    }
    // A simulated send-test is answered here (a live one as soon as Graph answered; this is then a no-op).
    cap.answered();
    if (r.execute()) {
      AuditTrail.Action done =
          new AuditTrail.Action(action.verb(), action.resourceType(), o.deliveryId(), action.payload())
              .with("outcome", o.status())
              .with("approval", o.approval());
      if (cap.refusal != null) {
        done = done.with("error", cap.refusal);
      } else if (o.status().equals("declined")) {
        done = done.with("error", "approval_declined");
      }
      audit.record(done.with("exit_code", o.exit().code()));
    }
    return new GovernedSend.PilotOutcome(o, cap.refusal);
  }

  /**
   * The rate the send-test keeps: its mailbox's provider's (a Google Workspace mailbox names its gmail
   * provider; the others go through the stack's execution backend, Graph), per mailbox when the rate
   * is per sender. Null when there is no providers contract to read it from.
   */
  private ProviderRates.Scope rate(StackContract stack, String mailbox, Optional<StackContract.Mailbox> chosen) {
    if (providers == null) {
      return null;
    }
    String named = chosen.map(StackContract.Mailbox::provider).orElse(null);
    Optional<ProvidersContract.Provider> p = named != null ? providers.provider(named) : providers.mailboxBackend(stack.pilot().executionBackend());
    return p.map(provider -> new ProviderRates.Scope(
            provider.name() + (provider.rate().scope().equals("account") ? "" : ":" + OperatorsContract.normalize(mailbox)), 1, provider.rate()))
        .orElse(null);
  }

  /**
   * Just before the send: the slot of the mailbox's provider rate (waited for, or refused when booked
   * too far ahead), then the caps unit (its instant, to give it back) or the cap's refusal, then the
   * departure spacing. A refusal of either is recorded as the send's failure (exit 4).
   */
  private final class CapTaken implements Supplier<Optional<String>> {
    private final String owner;
    private final ProviderRates.Scope rate;
    /** The key this send-test's departure is kept under until the provider answers. */
    private final String departure = java.util.UUID.randomUUID().toString();
    Instant at;
    String refusal;

    CapTaken(String owner, ProviderRates.Scope rate) {
      this.owner = owner;
      this.rate = rate;
    }

    @Override
    public Optional<String> get() {
      Optional<String> slow = rate == null ? Optional.empty() : rates.await(pacer, rate);
      if (slow.isPresent()) {
        refusal = slow.get();
        return slow;
      }
      Instant now = clock.instant();
      Optional<String> refused = caps.take(owner, now);
      refusal = refused.orElse(null);
      at = refused.isEmpty() ? now : null;
      if (refused.isEmpty() && rate != null) {
        rates.depart(pacer, rate, departure);
      }
      return refused;
    }

    /** Graph answered (or failed): how long it took may hold the mailbox's next send back. */
    void answered() {
      if (rate != null) {
        rates.answered(pacer, rate, departure);
      }
    }
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
