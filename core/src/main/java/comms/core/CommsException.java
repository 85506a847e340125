package comms.core;

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

  public static CommsException usage(String message) {
    return new CommsException(ExitCode.USAGE, message);
  }

  public static CommsException config(String message) {
    return new CommsException(ExitCode.CONTRACT, message);
  }
}
