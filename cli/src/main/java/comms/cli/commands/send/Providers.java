package comms.cli.commands.send;

import comms.cli.App;
import comms.core.delivery.ProviderDirectory;
import comms.core.provider.LiveProviders;
import comms.core.provider.SimulatedProvider;

/** The provider adapters a command dispatches through: simulated, or live as the contracts say. */
public final class Providers {
  private Providers() {}

  /**
   * Simulated adapters for a simulated contract; the real clients for a live one (built once per run,
   * and only then, so simulated runs never load a provider SDK). A live provider with missing
   * secrets is refused here (exit 3) — before the approval prompt, before anything is sent.
   */
  public static ProviderDirectory directory(App app) {
    return new ProviderDirectory() {
      private LiveProviders live;

      @Override
      public comms.core.provider.Provider provider(comms.core.contract.ProvidersContract.Provider provider, boolean isLive) {
        if (!isLive) {
          return new SimulatedProvider(provider.name());
        }
        if (live == null) {
          live = LiveAdapters.of(app);
        }
        return live.provider(provider);
      }
    };
  }
}
