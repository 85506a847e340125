package comms.core.policy;

import comms.core.contract.PolicyContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.TemplatesCatalog;
import comms.core.send.ConsentRecords;
import comms.core.send.PreviewRequest;
import comms.core.send.QuietHoursCheck;
import comms.core.send.RecipientCheck;
import comms.core.send.SmsSegments;
import comms.core.send.SuppressionList;
import comms.core.send.TemplateRenderer;
import java.util.Objects;

/**
 * The message the gates judge, in the order they run: the request, its route, the recipient as
 * checked, the rendered text (whose body a gate may extend), and what gates found out along the way
 * (the quiet-hours judgement, the SMS shape) for the preview.
 */
public final class GateContext {
  private final PreviewRequest request;
  private final ProvidersContract.Provider provider;
  private final TemplatesCatalog.Template template;
  private final RecipientCheck recipient;
  private final TemplateRenderer.Rendered rendered;
  private final PolicyContract policy;
  private final ConsentRecords consent;
  private final SuppressionList suppressions;
  private String body;
  private String html;
  private QuietHoursCheck quiet;
  private SmsSegments sms;
  private String consentState;

  public GateContext(
      PreviewRequest request,
      ProvidersContract.Provider provider,
      TemplatesCatalog.Template template,
      RecipientCheck recipient,
      TemplateRenderer.Rendered rendered,
      PolicyContract policy,
      ConsentRecords consent,
      SuppressionList suppressions) {
    this.request = Objects.requireNonNull(request);
    this.provider = Objects.requireNonNull(provider);
    this.template = Objects.requireNonNull(template);
    this.recipient = Objects.requireNonNull(recipient);
    this.rendered = Objects.requireNonNull(rendered);
    this.policy = Objects.requireNonNull(policy);
    this.consent = Objects.requireNonNull(consent);
    this.suppressions = Objects.requireNonNull(suppressions);
    this.body = rendered.body();
    this.html = rendered.html();
    this.consentState = request.consentState();
  }

  public PreviewRequest request() {
    return request;
  }

  public String channel() {
    return request.channel();
  }

  /** The recipient in its one canonical spelling. */
  public String to() {
    return recipient.normalized();
  }

  public ProvidersContract.Provider provider() {
    return provider;
  }

  public TemplatesCatalog.Template template() {
    return template;
  }

  public RecipientCheck recipient() {
    return recipient;
  }

  public TemplateRenderer.Rendered rendered() {
    return rendered;
  }

  public PolicyContract policy() {
    return policy;
  }

  public ConsentRecords consent() {
    return consent;
  }

  public SuppressionList suppressions() {
    return suppressions;
  }

  public String subject() {
    return rendered.subject();
  }

  /** The body as the gates so far left it. */
  public String body() {
    return body;
  }

  /** Replaces the body (a gate that adds required text, such as the STOP footer). */
  public void body(String text) {
    body = Objects.requireNonNull(text);
  }

  /** The HTML part as the gates so far left it; null when the message has none. */
  public String html() {
    return html;
  }

  /** Replaces the HTML part (a gate that adds required text to both parts, such as the bulk-email footer). */
  public void html(String text) {
    html = text;
  }

  /** The quiet-hours judgement, when that gate judged one. */
  public QuietHoursCheck quiet() {
    return quiet;
  }

  public void quiet(QuietHoursCheck q) {
    quiet = q;
  }

  /** The SMS shape, when the message is an SMS. */
  public SmsSegments sms() {
    return sms;
  }

  public void sms(SmsSegments s) {
    sms = s;
  }

  /** The consent state that holds: the claimed one, or a recorded opt-out that overrides it. */
  public String consentState() {
    return consentState;
  }

  public void consentState(String state) {
    consentState = Objects.requireNonNull(state);
  }

  /** Whether a gate deferred the message to a later instant (rather than blocking it). */
  public boolean deferred() {
    return quiet != null && quiet.inside() && !quiet.never();
  }
}
