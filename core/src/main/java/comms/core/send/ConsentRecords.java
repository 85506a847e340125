package comms.core.send;

import java.util.Optional;

/** The consent states recorded for recipients (the store), consulted so a recorded opt-out beats any claim. */
@FunctionalInterface
public interface ConsentRecords {
  /** No records at all: the caller's claim stands. */
  ConsentRecords NONE = (channel, normalizedRecipient) -> Optional.empty();

  /** The state last recorded for this recipient on this channel (one of PolicyContract.CONSENT_STATES). */
  Optional<String> recordedState(String channel, String normalizedRecipient);
}
