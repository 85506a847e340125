package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;

/**
 * A provider refused or could not be reached. {@code status} is what the delivery log records:
 * {@code failed} (not retryable, e.g. a 4xx) or {@code dead_letter} (retries exhausted).
 */
public class ProviderException extends CommsException {
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

  /** Twilio error 21610: the recipient replied STOP; record them as opted out. */
  public boolean optedOut() {
    return "21610".equals(errorCode);
  }
}
