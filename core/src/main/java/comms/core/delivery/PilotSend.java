package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
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

  PilotSend(SendCaps caps, AuditTrail audit, Clock clock) {
    this.caps = caps;
    this.audit = audit;
    this.clock = clock;
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
    CapTaken cap = new CapTaken(who.owner());
    SendTest.Outcome o;
    try {
      o = test.run(new SendTest.Request(mailbox, r.to(), r.subject(), r.body(), r.execute(), r.runKey(), who.owner()), approver, cap);
    } catch (CommsException e) {
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

  /** The caps unit taken just before the send (its instant, to give it back), or the cap's refusal. */
  private final class CapTaken implements Supplier<Optional<String>> {
    private final String owner;
    Instant at;
    String refusal;

    CapTaken(String owner) {
      this.owner = owner;
    }

    @Override
    public Optional<String> get() {
      Instant now = clock.instant();
      Optional<String> refused = caps.take(owner, now);
      refusal = refused.orElse(null);
      at = refused.isEmpty() ? now : null;
      return refused;
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
