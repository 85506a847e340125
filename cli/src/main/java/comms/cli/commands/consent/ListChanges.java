package comms.cli.commands.consent;

import comms.cli.App;
import comms.cli.commands.send.Recipient;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.operator.AuditTrail;
import comms.core.operator.GovernedChange;
import java.util.List;
import java.util.Optional;

/**
 * The consent and suppression changes, read and applied once for every caller: the consent.record and
 * suppression.add/.remove commands (a person's yes on stdin) and the HTTP API of comms serve (the
 * authenticated call is the operator's decision). Each names the argument or field it read in a
 * refusal, and runs through core's {@link GovernedChange} with its audit row (recipients only hashed).
 */
public final class ListChanges {
  private ListChanges() {}

  /** A suppression target: its kind (address, phone or domain) and canonical value. */
  public record Target(String kind, String value) {
    /** The audit action of a change of it: the value only as a hash, its kind in the clear. */
    public AuditTrail.Action action(String verb) {
      return AuditTrail.Action.of(verb, "suppression", AuditTrail.hash(value)).with("kind", kind);
    }
  }

  /**
   * The target named by exactly one of {@code address} (an email address or E.164 number) or
   * {@code domain}, refused (exit 2) naming {@code addressName} or {@code domainName} otherwise.
   */
  public static Target target(String address, String addressName, String domain, String domainName) {
    if ((address == null) == (domain == null)) {
      throw CommsException.usage("give exactly one of " + addressName + " or " + domainName);
    }
    if (domain != null) {
      // One identity: bücher.de, BÜCHER.DE and xn--bcher-kva.de are one canonical (ASCII) domain.
      String d = Recipients.domain(domain);
      if (!d.matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z][a-z0-9-]*[a-z0-9]")) {
        throw new CommsException(ExitCode.USAGE, domainName + " " + domain + " is not a domain such as example.com or bücher.de");
      }
      return new Target("domain", d);
    }
    String kind = Recipients.compatible(address).startsWith("+") ? "phone" : "address";
    return new Target(kind, Recipients.normalize(Recipient.check(addressName, address)));
  }

  /** Suppresses {@code t}: true when it was not suppressed before; empty for a dry run. */
  public static Optional<Boolean> suppress(App app, GovernedChange g, boolean execute, Target t, String reason, String reasonName) {
    if (reason == null || reason.isBlank()) {
      throw new CommsException(ExitCode.USAGE, reasonName + " is empty; say why this is suppressed");
    }
    return g.run(
        new GovernedChange.Request(t.action("suppression.add"), "About to suppress " + t.kind() + " " + SuppressionTarget.shown(t.kind(), t.value()) + "\n  reason: " + reason, execute),
        () -> app.store().addSuppression(t.kind(), t.value(), reason, app.clock().instant()), SuppressionTarget::outcome);
  }

  /** Lifts the suppression of {@code t} (kept as history): true when one was in force; empty for a dry run. */
  public static Optional<Boolean> lift(App app, GovernedChange g, boolean execute, Target t, String reason) {
    return g.run(
        new GovernedChange.Request(
            t.action("suppression.remove"), "About to lift the suppression of " + t.kind() + " " + t.value() + (reason == null ? "" : "\n  reason: " + reason), execute),
        () -> app.store().removeSuppression(t.kind(), t.value(), app.clock().instant()), SuppressionTarget::outcome);
  }

  /** A consent record: its channel, the normalized recipient, the state and where it came from. */
  public record Consent(String channel, String recipient, String state, String source) {}

  /** The argument or field names a consent refusal quotes. */
  public record ConsentNames(String to, String state, String source, String channel) {}

  /** Reads a consent record, refused (exit 2) naming the argument or field that is wrong. */
  public static Consent consent(String to, String state, String source, String channel, ConsentNames n) {
    if (to == null || state == null || source == null) {
      throw CommsException.usage(n.to() + ", " + n.state() + " and " + n.source() + " are required");
    }
    if (!List.of("opted-in", "opted-out").contains(state)) {
      throw new CommsException(ExitCode.USAGE, n.state() + " '" + state + "' must be opted-in or opted-out");
    }
    String ch = channel == null ? Recipient.channelOf(to) : channel;
    if (!List.of("sms", "email").contains(ch)) {
      throw new CommsException(ExitCode.USAGE, n.channel() + " '" + ch + "' must be sms or email");
    }
    String who = Recipient.check(n.to(), to);
    if (source.isBlank()) {
      throw new CommsException(ExitCode.USAGE, n.source() + " is empty; say where the consent came from");
    }
    return new Consent(ch, who, state, source);
  }

  /** Records {@code c} (the latest record wins; history is kept): true once written, false for a dry run. */
  public static boolean record(App app, GovernedChange g, boolean execute, Consent c) {
    AuditTrail.Action action = AuditTrail.Action.of("consent.record", "consent", AuditTrail.hash(c.recipient())).with("channel", c.channel()).with("state", c.state());
    String summary = "About to record consent:\n  channel:   " + c.channel() + "\n  recipient: " + c.recipient() + "\n  state:     " + c.state() + "\n  source:    " + c.source();
    return g.run(new GovernedChange.Request(action, summary, execute), () -> {
      app.store().recordConsent(c.channel(), c.recipient(), c.state(), c.source(), app.clock().instant());
      return true;
    }).isPresent();
  }
}
