package comms.core.provider;

/** What a provider said about an accepted message: status (sent|queued|simulated), its id, attempts made. */
public record DispatchResult(String status, String providerMessageId, int attempts) {}
