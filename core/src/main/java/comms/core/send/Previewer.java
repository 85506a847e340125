package comms.core.send;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.Channels;
import comms.core.contract.ContractException;
import comms.core.contract.DeliveryContract;
import comms.core.contract.PolicyContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.TemplatesCatalog;
import comms.core.policy.GateContext;
import comms.core.policy.SendGate;
import comms.core.policy.StandardGates;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a send request into a rendered, gated preview: routes the message type and channel to a
 * provider and template, renders it, and runs every policy gate (recipient, consent, suppression,
 * quiet hours, STOP footer, template residue, header safety, length, forbidden patterns).
 */
public final class Previewer {
  private final DeliveryContract delivery;
  private final ProvidersContract providers;
  private final TemplatesCatalog templates;
  private final PolicyContract policy;
  private final ConsentRecords consentRecords;
  private final SuppressionList suppressions;
  private final TemplateRenderer renderer = new TemplateRenderer();
  private final List<SendGate> gates;

  public Previewer(
      DeliveryContract delivery,
      ProvidersContract providers,
      TemplatesCatalog templates,
      PolicyContract policy,
      ConsentRecords consentRecords,
      SuppressionList suppressions) {
    this(delivery, providers, templates, policy, consentRecords, suppressions, StandardGates.ALL);
  }

  /** A previewer running {@code gates} in order (the standard ones, or more: see {@link StandardGates}). */
  public Previewer(
      DeliveryContract delivery,
      ProvidersContract providers,
      TemplatesCatalog templates,
      PolicyContract policy,
      ConsentRecords consentRecords,
      SuppressionList suppressions,
      List<SendGate> gates) {
    this.gates = List.copyOf(gates);
    this.delivery = delivery;
    this.providers = providers;
    this.templates = templates;
    this.policy = policy;
    this.consentRecords = consentRecords;
    this.suppressions = suppressions;
  }

  /** A previewer over the contracts in {@code bindings} (loads delivery, providers, templates and policy). */
  public static Previewer from(Bindings bindings, ConsentRecords consentRecords, SuppressionList suppressions) {
    return new Previewer(bindings.delivery(), bindings.providers(), bindings.templates(), bindings.policy(), consentRecords, suppressions);
  }

  /** The delivery contract the previews follow (its idempotency window governs the sends made from them). */
  public DeliveryContract delivery() {
    return delivery;
  }

  /** The route, provider and template a message type takes on a channel; refuses unknown ones. */
  public record Resolved(DeliveryContract.Route route, ProvidersContract.Provider provider, TemplatesCatalog.Template template) {}

  public Resolved resolve(String channel, String messageType) {
    List<String> known = delivery.messageTypes().stream().map(DeliveryContract.MessageType::name).toList();
    if (!Channels.SENDABLE.contains(channel)) {
      throw new CommsException(ExitCode.USAGE, "channel '" + channel + "' is not one comms sends on; use " + String.join(" or ", Channels.SENDABLE));
    }
    DeliveryContract.MessageType type =
        delivery
            .messageType(messageType)
            .orElseThrow(
                () ->
                    new CommsException(
                        ExitCode.USAGE,
                        "message type '" + messageType + "' is not in " + DeliveryContract.FILE + "; known types: " + String.join(", ", known)));
    DeliveryContract.Route route =
        type.route(channel)
            .orElseThrow(
                () ->
                    new CommsException(
                        ExitCode.USAGE,
                        "message type '" + messageType + "' has no " + channel + " route in " + DeliveryContract.FILE
                            + (type.routes().isEmpty()
                                ? ""
                                : "; it goes out by " + String.join(", ", type.routes().stream().map(DeliveryContract.Route::channel).toList()))
                            + ". Known types: " + String.join(", ", known)));
    ProvidersContract.Provider provider =
        providers
            .provider(route.provider())
            .orElseThrow(
                () ->
                    new ContractException(
                        route.source(),
                        "route sends through provider '" + route.provider() + "', which " + ProvidersContract.FILE
                            + " does not define; define it there or fix the route"));
    if (!provider.serves(channel)) {
      throw new ContractException(
          route.source(), "provider '" + provider.name() + "' does not serve " + channel + " (its channels: " + String.join(", ", provider.channels()) + ")");
    }
    TemplatesCatalog.Template template =
        templates
            .template(route.template())
            .orElseThrow(
                () ->
                    new ContractException(
                        route.source(),
                        "route names template '" + route.template() + "', which " + TemplatesCatalog.FILE + " does not have; add it or fix the route"));
    if (!template.channel().equals(channel)) {
      throw new ContractException(
          route.source(), "route for " + channel + " names template '" + template.id() + "', which is a " + template.channel() + " template");
    }
    return new Resolved(route, provider, template);
  }

  /** The route's resolution, through the request's {@code via} provider (the owner's own mailbox) when it names one. */
  Resolved via(Resolved resolved, PreviewRequest r) {
    if (r.via() == null || r.via().equals(resolved.provider().name())) {
      return resolved;
    }
    ProvidersContract.Provider own =
        providers.provider(r.via()).orElseThrow(() -> new CommsException(
            ExitCode.CONTRACT, "the owner's mailbox is provider '" + r.via() + "', which " + ProvidersContract.FILE + " does not define; define it there"));
    if (!own.serves(r.channel())) {
      throw new CommsException(
          ExitCode.CONTRACT, "provider '" + own.name() + "' (the owner's mailbox) does not serve " + r.channel() + "; add " + r.channel() + " to its channels");
    }
    return new Resolved(resolved.route(), own, resolved.template());
  }

  /**
   * The text a request renders: the route's template, or the body the request brings instead (a pinned
   * snippet version), which must be written for the same channel. Either way the same renderer and
   * the same gates follow.
   */
  static TemplatesCatalog.Template body(PreviewRequest r, Resolved resolved) {
    TemplatesCatalog.Template b = r.body();
    if (b == null) {
      return resolved.template();
    }
    if (!b.channel().equals(r.channel())) {
      throw new CommsException(ExitCode.CONTRACT, b.id() + " is written for " + b.channel() + ", not " + r.channel() + "; nothing was sent");
    }
    return b;
  }

  public Preview preview(PreviewRequest r) {
    Resolved resolved = via(resolve(r.channel(), r.messageType()), r);
    if (!PolicyContract.CONSENT_STATES.contains(r.consentState())) {
      throw new CommsException(
          ExitCode.USAGE,
          "consent state '" + r.consentState() + "' is not known; use one of " + String.join(", ", PolicyContract.CONSENT_STATES));
    }
    TemplatesCatalog.Template template = body(r, resolved);
    TemplateRenderer.Rendered rendered = renderer.render(template, r.vars());
    RecipientCheck recipient = RecipientCheck.of(r.channel(), r.to(), r.live());
    if (!recipient.readable()) {
      // Not a number or an address at all: bad input, refused before any gate, so nothing is recorded.
      throw new CommsException(
          ExitCode.USAGE, "--to: the " + r.channel() + " recipient cannot be read: " + recipient.reason() + "; nothing was sent or recorded");
    }
    GateContext m = new GateContext(r, resolved.provider(), template, recipient, rendered, policy, consentRecords, suppressions);
    List<Gate> results = new ArrayList<>(gates.size());
    for (SendGate g : gates) {
      results.add(g.evaluate(m));
    }
    // Quiet hours fail a send they defer, but only a gate that can never pass by waiting blocks it.
    boolean deferred = m.deferred();
    boolean blocked = results.stream().anyMatch(g -> g.failed() && !(deferred && g.name().equals(Gate.QUIET_HOURS)));
    Preview.Verdict verdict = blocked ? Preview.Verdict.blocked : deferred ? Preview.Verdict.deferred : Preview.Verdict.allowed;
    return new Preview(
        verdict,
        r.live(),
        r.channel(),
        r.messageType(),
        resolved.provider().name(),
        template.id(),
        m.to(),
        rendered.subject(),
        m.body(),
        rendered.html(),
        m.sms(),
        m.consentState(),
        results,
        verdict == Preview.Verdict.deferred ? m.quiet().nextAllowedAt() : null,
        rendered.undeclaredVars(),
        m.quiet() == null ? List.of() : m.quiet().zones());
  }
}
