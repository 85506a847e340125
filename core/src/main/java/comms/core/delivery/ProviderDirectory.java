package comms.core.delivery;

import comms.core.contract.ProvidersContract;
import comms.core.provider.Provider;

/** Gives the adapter that sends through one provider: the simulation, or the live client. */
@FunctionalInterface
public interface ProviderDirectory {
  Provider provider(ProvidersContract.Provider provider, boolean live);

  /** Whether re-sending through this provider with the same idempotency key is safe (no duplicate reaches the recipient). */
  default boolean deduplicates(ProvidersContract.Provider provider, boolean live) {
    return !live || "resend".equals(provider.kind());
  }
}
