package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.delivery.ProviderDirectory;
import comms.core.provider.SimulatedProvider;

/** The provider adapters a command dispatches through: simulated, or live as the contracts say. */
final class Providers {
  private Providers() {}

  static ProviderDirectory directory(App app) {
    return (provider, live) -> {
      if (!live) {
        return new SimulatedProvider(provider.name());
      }
      throw new CommsException(
          ExitCode.CONTRACT,
          "the delivery contract is in live mode, but this build has no live " + provider.kind()
              + " client yet; nothing was sent. Set mode: simulation in the delivery contract to rehearse.");
    };
  }
}
