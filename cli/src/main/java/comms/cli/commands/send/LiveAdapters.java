package comms.cli.commands.send;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.ContractException;
import comms.core.contract.DeliveryContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.provider.HttpTrace;
import comms.core.provider.LiveProviders;

/**
 * How a command gets live provider adapters: the environment's secrets, the delivery contract's
 * retry settings, waits announced on stderr, and with {@code --verbose} one stderr line per HTTP
 * exchange. Only live paths call this, so simulated runs never load a provider SDK.
 */
public final class LiveAdapters {
  /** The retry settings when the delivery contract cannot be read (the probe still runs). */
  static final DeliveryContract.Retry DEFAULT_RETRY = new DeliveryContract.Retry(5, 500, 30_000);

  private LiveAdapters() {}

  public static LiveProviders of(App app) {
    DeliveryContract.Retry retry;
    try {
      retry = app.bindings().delivery().retry();
    } catch (ContractException e) {
      retry = DEFAULT_RETRY;
    }
    HttpTrace trace = app.verbose() ? x -> app.err().println("comms: http " + x.line()) : HttpTrace.NONE;
    return LiveProviders.of(app.env(), retry, app.clock(), trace, w -> app.err().println("comms: " + w.describe()))
        // A gmail provider on OAuth refresh tokens finds each operator's in the variable the operators contract names.
        .gmailUsers(user -> app.bindings().operators().mailbox(user).map(comms.core.contract.OperatorsContract.Mailbox::refreshTokenEnv).orElse(null), app.clock());
  }

  /** The provider behind the pilot mailboxes: the first one of the stack's execution_backend kind that serves the mailbox channel. */
  public static ProvidersContract.Provider pilotProvider(StackContract stack, ProvidersContract providers) {
    String backend = stack.pilot().executionBackend();
    return providers.mailboxBackend(backend)
        .orElseThrow(
            () ->
                CommsException.config(
                    "pilot.execution_backend is " + backend + " but no provider of that kind serves the mailbox channel in "
                        + ProvidersContract.FILE + "; add one (see bindings/" + ProvidersContract.FILE + ")"));
  }
}
