package comms.core.send;

import comms.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;

/**
 * A rendered message and every policy gate's verdict on it: what would be sent, to whom, through which
 * provider, and whether it may go now ({@code allowed}), not at all ({@code blocked}) or later
 * ({@code deferred}, with {@link #nextAllowedAt()}).
 *
 * @param to the normalized recipient (E.164 or lower-case domain) when it could be normalized
 * @param subject null for SMS
 * @param body the final body, STOP footer included
 * @param html the HTML part (escaped values), null when the template has none
 * @param sms encoding and segments of the final body; null for email
 * @param consentState the state the consent gate judged (a recorded opt-out replaces the claim)
 * @param recipientZones the zones quiet hours were judged in (empty when quiet hours do not apply)
 */
public record Preview(
    Verdict verdict,
    boolean live,
    String channel,
    String messageType,
    String provider,
    String templateId,
    String to,
    String subject,
    String body,
    String html,
    SmsSegments sms,
    String consentState,
    List<Gate> gates,
    Instant nextAllowedAt,
    List<String> undeclaredVars,
    List<ZoneId> recipientZones) {
  /** The preview's overall answer; the words are the stable machine interface. */
  public enum Verdict {
    allowed,
    blocked,
    deferred
  }

  public Preview {
    gates = List.copyOf(gates);
    undeclaredVars = List.copyOf(undeclaredVars);
    recipientZones = List.copyOf(recipientZones);
  }

  /** SHA-256 of the final body (UTF-8), hex: lets the delivery log prove what was sent without storing it. */
  public String bodyHash() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public boolean allowed() {
    return verdict == Verdict.allowed;
  }

  /** 0 when allowed, 4 when blocked or deferred. */
  public ExitCode exitCode() {
    return allowed() ? ExitCode.OK : ExitCode.POLICY;
  }

  /** The gates that failed, for messages that say why a send was refused. */
  public List<Gate> failures() {
    return gates.stream().filter(Gate::failed).toList();
  }

  public String mode() {
    return live ? "live" : "simulation";
  }
}
