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
  private final boolean mayHaveSent;

  public ProviderException(String status, String errorCode, String message, int attempts) {
    this(status, errorCode, message, attempts, false);
  }

  /**
   * @param mayHaveSent the request reached the provider and no answer came back, so the message may
   *     exist there; a provider that cannot de-duplicate must not be asked again without a person checking
   */
  public ProviderException(String status, String errorCode, String message, int attempts, boolean mayHaveSent) {
    super(ExitCode.PROVIDER, message);
    this.status = status;
    this.errorCode = errorCode;
    this.attempts = attempts;
    this.mayHaveSent = mayHaveSent;
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

  /** The outcome is unknown: the provider may have accepted the message (see the constructor). */
  public boolean mayHaveSent() {
    return mayHaveSent;
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
