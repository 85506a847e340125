package comms.core.reply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One message that arrived in an owner's inbox, as replies.sync reads it whatever the mailbox (the
 * simulated one, Microsoft Graph): its headers (names lower-cased, every value kept), who sent it,
 * the ids that tie it to what we sent, its text, and the delivery report when it is a DSN.
 *
 * @param sourceId the mailbox's own id for the message (unique per owner; what makes a sync read it once)
 * @param from the sender's address, canonical (lower case), null when it has none
 * @param text the plain-text body (HTML reduced to text when that is all there is), for out-of-office dates
 * @param report the delivery-status report of a DSN, null otherwise
 */
public record InboundMessage(
    String sourceId,
    String owner,
    String from,
    String subject,
    Map<String, List<String>> headers,
    String text,
    Instant receivedAt,
    DeliveryReport report) {
  public InboundMessage {
    Map<String, List<String>> h = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    }
    headers = h;
    text = text == null ? "" : text;
    subject = subject == null ? "" : subject;
  }

  /** The first value of header {@code name} (any case), stripped. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0).strip());
  }

  public boolean has(String name) {
    return headers.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** The message ids of In-Reply-To. */
  public List<String> inReplyTo() {
    return ids(header("In-Reply-To").orElse(""));
  }

  /** The message ids of References, oldest first as written. */
  public List<String> references() {
    List<String> out = new ArrayList<>();
    headers.getOrDefault("references", List.of()).forEach(v -> out.addAll(ids(v)));
    return out;
  }

  /** Every {@code <id>} in a header value (RFC 5322 msg-id list), without brackets. */
  static List<String> ids(String value) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<([^<>\\s]+)>").matcher(value);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * What a DSN (RFC 3464) reports: per recipient, its address, action and status, plus the
   * Message-ID of the original message when the report returned it (message/rfc822 or headers).
   */
  public record DeliveryReport(List<Recipient> recipients, String originalMessageId) {
    public DeliveryReport {
      recipients = List.copyOf(recipients);
    }

    /** {@code action} failed|delayed|delivered|relayed|expanded; {@code status} like 5.1.1; {@code diagnostic} the remote server's words. */
    public record Recipient(String address, String action, String status, String diagnostic) {}
  }
}
