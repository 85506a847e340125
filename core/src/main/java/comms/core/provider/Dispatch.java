package comms.core.provider;

import java.util.Map;

/**
 * One message to hand to a provider: who, what, and the ids that make the attempt traceable and
 * safe to retry. {@code subject} and {@code html} are null for SMS. {@code headers} are extra
 * internet headers an email carries (the Message-ID we chose and {@code X-Comms-Delivery-Id} for a
 * stage send, so a reply can be matched to it); empty for SMS.
 */
public record Dispatch(
    String deliveryId,
    String idempotencyKey,
    String channel,
    String from,
    String to,
    String subject,
    String text,
    String html,
    Map<String, String> headers) {
  /** The header that names the delivery a message belongs to (also on Graph send-tests). */
  public static final String DELIVERY_ID_HEADER = "X-Comms-Delivery-Id";

  public Dispatch {
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
  }

  public Dispatch(String deliveryId, String idempotencyKey, String channel, String from, String to, String subject, String text, String html) {
    this(deliveryId, idempotencyKey, channel, from, to, subject, text, html, Map.of());
  }

  /** The Message-ID we chose for this email, if any. */
  public String messageId() {
    return headers.get("Message-ID");
  }
}
