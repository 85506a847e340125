package comms.core.send;

import comms.core.contract.TemplatesCatalog;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to preview: a message type on a channel to one recipient, the consent the caller claims, the
 * template variables, the instant to judge quiet hours at, an optional recipient zone, whether the
 * delivery contract is in live mode, and optionally the text to send in place of the route's template
 * (a sequence stage's pinned snippet version), rendered and gated exactly like it. {@code via}
 * names the provider an email goes through instead of its route's: the owner's own mailbox (a
 * gmail provider) for a sequence stage of an owner who has one; null keeps the route's.
 */
public record PreviewRequest(
    String channel,
    String messageType,
    String to,
    String consentState,
    Map<String, String> vars,
    Instant at,
    ZoneId recipientTz,
    boolean live,
    TemplatesCatalog.Template body,
    String via) {
  public PreviewRequest {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(consentState, "consentState");
    Objects.requireNonNull(at, "at");
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
  }

  public PreviewRequest(
      String channel, String messageType, String to, String consentState, Map<String, String> vars, Instant at, ZoneId recipientTz, boolean live,
      TemplatesCatalog.Template body) {
    this(channel, messageType, to, consentState, vars, at, recipientTz, live, body, null);
  }

  /** The same request through provider {@code provider} instead of its route's. */
  public PreviewRequest via(String provider) {
    return new PreviewRequest(channel, messageType, to, consentState, vars, at, recipientTz, live, body, provider);
  }

  /** A request for the route's own template. */
  public PreviewRequest(
      String channel, String messageType, String to, String consentState, Map<String, String> vars, Instant at, ZoneId recipientTz, boolean live) {
    this(channel, messageType, to, consentState, vars, at, recipientTz, live, null);
  }
}
