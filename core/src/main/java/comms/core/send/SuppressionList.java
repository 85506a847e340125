package comms.core.send;

import java.util.Optional;

/** Recipients nobody may contact (address, phone number or a whole email domain), each with its reason. */
@FunctionalInterface
public interface SuppressionList {
  /** An empty list: nothing is suppressed. */
  SuppressionList NONE = (channel, normalizedRecipient) -> Optional.empty();

  /** Why this recipient is suppressed on this channel, or empty when they are not. */
  Optional<String> match(String channel, String normalizedRecipient);
}
