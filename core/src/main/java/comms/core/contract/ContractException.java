package comms.core.contract;

import comms.core.CommsException;
import comms.core.ExitCode;

/** A contract refused at load time; the message names file, line, column and field path. */
public final class ContractException extends CommsException {
  private final transient Source source;

  public ContractException(Source source, String problem) {
    super(ExitCode.CONTRACT, source + ": " + problem);
    this.source = source;
  }

  public ContractException(String file, String problem) {
    super(ExitCode.CONTRACT, file + ": " + problem);
    this.source = new Source(file, 0, 0, "");
  }

  @Override
  public Source source() {
    return source;
  }
}
