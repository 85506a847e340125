package comms.core;

import comms.core.contract.Source;

/** A failure the operator can act on: a sentence saying what was wrong and what to do, and its exit code. */
public class CommsException extends RuntimeException {
  private final ExitCode exitCode;

  public CommsException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CommsException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /**
   * Where the failure is, when it is in a file (file, line, column, field path; line 0 when only the
   * file is known), else null. Machine-readable errors carry it as separate fields.
   */
  public Source source() {
    return null;
  }

  public static CommsException usage(String message) {
    return new CommsException(ExitCode.USAGE, message);
  }

  public static CommsException config(String message) {
    return new CommsException(ExitCode.CONTRACT, message);
  }
}
