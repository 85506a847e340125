package comms.core.imessage;

import comms.core.CommsException;
import comms.core.ExitCode;

/** The sequences contract switched the iMessage daemon off: its calls are refused (503 daemon_disabled over HTTP). */
public final class DaemonDisabled extends CommsException {
  public DaemonDisabled() {
    super(
        ExitCode.POLICY,
        "the iMessage daemon is switched off (imessage.daemon: disabled in the sequences contract); iMessage stages wait until it is enabled."
            + " See the README section iMessage for the recovery runbook");
  }
}
