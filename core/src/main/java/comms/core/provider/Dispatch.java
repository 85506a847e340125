package comms.core.provider;

/**
 * One message to hand to a provider: who, what, and the ids that make the attempt traceable and
 * safe to retry. {@code subject} and {@code html} are null for SMS.
 */
public record Dispatch(
    String deliveryId,
    String idempotencyKey,
    String channel,
    String from,
    String to,
    String subject,
    String text,
    String html) {}
