package comms.core.engagement;

import comms.core.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One Resend webhook event, as the fields comms acts on. Resend's shape (its OpenAPI description,
 * {@code webhooks:} section): {@code {"type": "email.opened", "created_at": "…", "data": {"email_id": "…",
 * "to": ["…"], "created_at": "…", …}}}; {@code email.clicked} adds {@code data.click} ({@code ipAddress},
 * {@code userAgent}, {@code link}, {@code timestamp}) and {@code email.bounced} adds {@code data.bounce}
 * ({@code type}: Permanent, Transient or Undetermined). An open may carry {@code data.open} with the same
 * fields as a click; without it comms knows nothing of who fetched the pixel.
 *
 * @param emailId Resend's email id, which our delivery log and idempotency rows keep as provider_message_id
 * @param recipient the first address of {@code data.to}, normalized to lower case; null when absent
 * @param occurredAt when it happened: the click's or open's own timestamp, else the event's created_at
 * @param bounceType Permanent, Transient or Undetermined for a bounce; null otherwise
 */
public record EngagementEvent(
    Kind kind, String type, String emailId, String recipient, Instant occurredAt, String userAgent, String ipAddress, String bounceType) {

  /** The event types comms acts on; every other type is recorded as {@link #OTHER} and changes nothing. */
  public enum Kind {
    DELIVERED, OPENED, CLICKED, BOUNCED, COMPLAINED, OTHER;

    static Kind of(String type) {
      return switch (type) {
        case "email.delivered" -> DELIVERED;
        case "email.opened" -> OPENED;
        case "email.clicked" -> CLICKED;
        case "email.bounced" -> BOUNCED;
        case "email.complained" -> COMPLAINED;
        default -> OTHER;
      };
    }
  }

  /** A hard bounce: the receiving server said the address does not take mail (Resend's type Permanent). */
  public boolean hardBounce() {
    return kind == Kind.BOUNCED && "Permanent".equalsIgnoreCase(bounceType);
  }

  /**
   * Reads a verified body. A body that is not a Resend email event (no type, no data.email_id for an
   * email.* type, a time that is not ISO-8601) is refused with a sentence naming the field.
   */
  public static EngagementEvent parse(String body) {
    Map<String, Object> root;
    try {
      root = Json.parseObject(body);
    } catch (Json.JsonException e) {
      throw new IllegalArgumentException("the body is not a JSON object (" + e.getMessage() + ")");
    }
    String type = text(root.get("type"), "type");
    if (type == null) {
      throw new IllegalArgumentException("the body has no \"type\" (such as email.opened)");
    }
    Map<String, Object> data = map(root.get("data"), "data");
    Kind kind = Kind.of(type);
    String emailId = data == null ? null : text(data.get("email_id"), "data.email_id");
    if (kind != Kind.OTHER && (emailId == null || emailId.isBlank())) {
      throw new IllegalArgumentException(type + " has no data.email_id, so it cannot be matched to a send");
    }
    String recipient = null;
    if (data != null && data.get("to") instanceof List<?> to && !to.isEmpty() && to.get(0) instanceof String first) {
      recipient = first.strip().toLowerCase(Locale.ROOT);
    } else if (data != null && data.get("to") instanceof String one) {
      recipient = one.strip().toLowerCase(Locale.ROOT);
    }
    Instant created = time(root.get("created_at"), "created_at");
    Map<String, Object> detail = data == null ? null : map(data.get(kind == Kind.CLICKED ? "click" : "open"), kind == Kind.CLICKED ? "data.click" : "data.open");
    String ua = null;
    String ip = null;
    Instant at = created;
    if (detail != null && (kind == Kind.CLICKED || kind == Kind.OPENED)) {
      ua = text(detail.get("userAgent"), "userAgent");
      ip = text(detail.get("ipAddress"), "ipAddress");
      Instant own = time(detail.get("timestamp"), "timestamp");
      at = own != null ? own : created;
    }
    if (at == null) {
      throw new IllegalArgumentException(type + " has no created_at, so comms cannot tell when it happened");
    }
    String bounce = null;
    if (kind == Kind.BOUNCED) {
      Map<String, Object> b = map(data.get("bounce"), "data.bounce");
      bounce = b == null ? null : text(b.get("type"), "data.bounce.type");
    }
    return new EngagementEvent(kind, type, emailId, recipient, at, ua, ip, bounce);
  }

  private static String text(Object v, String field) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(field + " must be text");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v, String field) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(field + " must be an object");
    }
    return (Map<String, Object>) v;
  }

  private static Instant time(Object v, String field) {
    String s = text(v, field);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.strip().replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s.strip());
      } catch (DateTimeParseException again) {
        throw new IllegalArgumentException(field + " '" + s + "' is not an ISO-8601 time such as 2026-12-07T15:04:05.000Z");
      }
    }
  }
}
