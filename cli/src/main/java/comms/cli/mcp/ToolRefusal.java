package comms.cli.mcp;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.Map;

/** A tool call that ran but did not do what was asked (a send blocked, deferred or declined): the sentence, and the result it still reports. */
final class ToolRefusal extends CommsException {
  private final transient Map<String, Object> result;

  ToolRefusal(ExitCode code, String message, Map<String, Object> result) {
    super(code, message);
    this.result = result;
  }

  Map<String, Object> result() {
    return result;
  }
}
