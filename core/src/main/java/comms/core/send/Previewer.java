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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

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

  public Previewer(
      DeliveryContract delivery,
      ProvidersContract providers,
      TemplatesCatalog templates,
      PolicyContract policy,
      ConsentRecords consentRecords,
      SuppressionList suppressions) {
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

  public Preview preview(PreviewRequest r) {
    Resolved resolved = resolve(r.channel(), r.messageType());
    if (!PolicyContract.CONSENT_STATES.contains(r.consentState())) {
      throw new CommsException(
          ExitCode.USAGE,
          "consent state '" + r.consentState() + "' is not known; use one of " + String.join(", ", PolicyContract.CONSENT_STATES));
    }
    TemplateRenderer.Rendered rendered = renderer.render(resolved.template(), r.vars());
    String channel = r.channel();
    RecipientCheck recipient = RecipientCheck.of(channel, r.to(), r.live());
    if (!recipient.readable()) {
      // Not a number or an address at all: bad input, refused before any gate, so nothing is recorded.
      throw new CommsException(
          ExitCode.USAGE, "--to: the " + channel + " recipient cannot be read: " + recipient.reason() + "; nothing was sent or recorded");
    }
    String to = recipient.normalized();

    List<Gate> gates = new ArrayList<>();
    gates.add(recipient.gate());

    Optional<String> recorded = consentRecords.recordedState(channel, to);
    String consentState = recorded.filter("opted-out"::equals).orElse(r.consentState());
    gates.add(consentGate(channel, r.consentState(), recorded));

    gates.add(
        suppressions
            .match(channel, to)
            .map(why -> Gate.fail(Gate.SUPPRESSION, to + " is on the suppression list (" + why + "); nothing may be sent to it"))
            .orElseGet(() -> Gate.pass(Gate.SUPPRESSION, "not on the suppression list")));

    QuietHoursCheck quiet = null;
    PolicyContract.QuietHours window = policy.quietHours();
    if (window.channels().contains(channel)) {
      if (r.recipientTz() != null) {
        quiet = QuietHoursCheck.judge(window, r.at(), List.of(r.recipientTz()), "given for the recipient");
      } else if (!recipient.zones().isEmpty()) {
        quiet = QuietHoursCheck.judge(window, r.at(), recipient.zones(), "from the number");
      } else {
        quiet = QuietHoursCheck.judge(window, r.at(), List.of(window.defaultZone()), "the policy's default zone");
      }
      gates.add(quiet.gate());
    } else {
      gates.add(Gate.pass(Gate.QUIET_HOURS, "quiet hours do not apply to " + channel));
    }

    String body = rendered.body();
    PolicyContract.StopFooter footer = policy.stopFooter();
    if (footer.channels().contains(channel)) {
      if (body.toLowerCase(Locale.ROOT).contains(footer.text().toLowerCase(Locale.ROOT))) {
        gates.add(Gate.pass(Gate.STOP_FOOTER, "present: \"" + footer.text() + "\""));
      } else {
        String trimmed = body.stripTrailing();
        body = trimmed + (trimmed.contains("\n") ? "\n" : " ") + footer.text();
        gates.add(Gate.pass(Gate.STOP_FOOTER, "appended: \"" + footer.text() + "\""));
      }
    } else {
      gates.add(Gate.pass(Gate.STOP_FOOTER, "no opt-out footer required for " + channel));
    }

    gates.add(residueGate(rendered.subject(), body, rendered.html()));
    gates.add(HeaderSafety.gate(resolved.template(), r.vars(), rendered.subject(), resolved.provider()));

    SmsSegments sms = null;
    if (channel.equals(Channels.SMS)) {
      sms = SmsSegments.of(body);
      String shape = sms.segments() + " segment" + (sms.segments() == 1 ? "" : "s") + " " + sms.encoding() + " (" + sms.characters() + " characters)";
      // Naming the characters that force UCS-2 tells the operator what to replace to halve the cost.
      String hint =
          sms.encoding().equals(SmsSegments.UCS_2)
              ? "; " + String.join(" ", sms.nonGsmCharacters().stream().distinct().limit(5).toList()) + " force UCS-2"
              : "";
      if (sms.segments() > policy.smsMaxSegments()) {
        gates.add(Gate.fail(Gate.LENGTH, shape + " is over the policy maximum of " + policy.smsMaxSegments() + hint + "; shorten the variables or the template"));
      } else {
        gates.add(Gate.pass(Gate.LENGTH, shape + ", within the policy maximum of " + policy.smsMaxSegments() + hint));
      }
    } else {
      gates.add(Gate.pass(Gate.LENGTH, "no segment limit for " + channel));
    }

    gates.add(forbiddenGate(rendered.subject(), body));

    // Quiet hours fail a send they defer, but only a gate that can never pass by waiting blocks it.
    boolean deferred = quiet != null && quiet.inside() && !quiet.never();
    boolean blocked = gates.stream().anyMatch(g -> g.failed() && !(deferred && g.name().equals(Gate.QUIET_HOURS)));
    Preview.Verdict verdict = blocked ? Preview.Verdict.blocked : deferred ? Preview.Verdict.deferred : Preview.Verdict.allowed;
    return new Preview(
        verdict,
        r.live(),
        channel,
        r.messageType(),
        resolved.provider().name(),
        resolved.template().id(),
        to,
        rendered.subject(),
        body,
        rendered.html(),
        sms,
        consentState,
        gates,
        verdict == Preview.Verdict.deferred ? quiet.nextAllowedAt() : null,
        rendered.undeclaredVars(),
        quiet == null ? List.of() : quiet.zones());
  }

  private Gate consentGate(String channel, String claimed, Optional<String> recorded) {
    if (recorded.filter("opted-out"::equals).isPresent()) {
      return Gate.fail(
          Gate.CONSENT,
          "a recorded opt-out for this recipient overrides the claimed '" + claimed
              + "'; nothing may be sent until they opt in again (for SMS, by replying START)");
    }
    if (claimed.equals("opted-out")) {
      return Gate.fail(Gate.CONSENT, "the recipient has opted out; opted-out always blocks");
    }
    PolicyContract.ConsentRule rule = policy.consent().get(channel);
    if (rule == null) {
      return Gate.fail(Gate.CONSENT, "the policy has no consent rule for " + channel + "; add consent." + channel + " to " + PolicyContract.FILE);
    }
    String note = recorded.map(s -> " (recorded: " + s + ")").orElse("");
    if (!rule.allowedStates().contains(claimed)) {
      return Gate.fail(
          Gate.CONSENT,
          channel + " needs consent " + String.join(" or ", rule.allowedStates()) + " but the recipient's is '" + claimed + "'" + note
              + "; get their consent first" + (rule.note().isBlank() ? "" : " (" + rule.note() + ")"));
    }
    return Gate.pass(Gate.CONSENT, "'" + claimed + "' is allowed for " + channel + note);
  }

  private static Gate residueGate(String subject, String body, String html) {
    List<String> where = new ArrayList<>();
    for (String[] part : new String[][] {{"subject", subject}, {"body", body}, {"html", html}}) {
      if (part[1] != null && (part[1].contains("{{") || part[1].contains("}}"))) {
        where.add(part[0]);
      }
    }
    if (where.isEmpty()) {
      return Gate.pass(Gate.TEMPLATE_RESIDUE, "no '{{' or '}}' left after substitution");
    }
    return Gate.fail(
        Gate.TEMPLATE_RESIDUE,
        "the rendered " + String.join(" and ", where) + " still contain" + (where.size() == 1 ? "s" : "") + " '{{' or '}}';"
            + " a variable value or the template carries Mustache braces, remove them");
  }

  private Gate forbiddenGate(String subject, String body) {
    List<String> hits = new ArrayList<>();
    for (PolicyContract.ForbiddenPattern p : policy.forbiddenPatterns()) {
      List<String> in = new ArrayList<>();
      if (subject != null && p.pattern().matcher(subject).find()) {
        in.add("subject");
      }
      Matcher m = p.pattern().matcher(body);
      if (m.find()) {
        in.add("body");
      }
      if (!in.isEmpty()) {
        hits.add(p.name() + " in the " + String.join(" and ", in) + ": " + p.reason());
      }
    }
    if (hits.isEmpty()) {
      int n = policy.forbiddenPatterns().size();
      return Gate.pass(Gate.FORBIDDEN_PATTERNS, n == 0 ? "the policy forbids no patterns" : "none of the " + n + " forbidden patterns found");
    }
    return Gate.fail(Gate.FORBIDDEN_PATTERNS, String.join("; ", hits) + "; change the message");
  }
}
