package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;

/**
 * A provider refused or could not be reached. {@code status} is what the delivery log records:
 * {@code failed} (not retryable, e.g. a 4xx) or {@code dead_letter} (retries exhausted).
 * {@code errorCode} is the provider's own code ({@code 21610}, {@code rate_limit_exceeded},
 * {@code ErrorAccessDenied}) or the HTTP status when the provider gave none.
 */
public class ProviderException extends CommsException {
  public static final String FAILED = "failed";
  public static final String DEAD_LETTER = "dead_letter";
  /** Twilio: the recipient replied STOP (or similar); record them as opted out. */
  public static final String TWILIO_OPTED_OUT = "21610";

  private final String status;
  private final String errorCode;
  private final int attempts;

  public ProviderException(String status, String errorCode, String message, int attempts) {
    super(ExitCode.PROVIDER, message);
    this.status = status;
    this.errorCode = errorCode;
    this.attempts = attempts;
  }

  public String status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  public int attempts() {
    return attempts;
  }

  /** The recipient has opted out at the provider (Twilio 21610): the store should record it as an opt-out. */
  public boolean optedOut() {
    return TWILIO_OPTED_OUT.equals(errorCode);
  }

  /** The provider says the recipient address cannot receive (Twilio 21211 invalid number, 21614 not a mobile number). */
  public boolean invalidRecipient() {
    return "21211".equals(errorCode) || "21614".equals(errorCode);
  }
}
