package comms.core.sequence;

import java.time.Instant;
import java.util.Optional;

/**
 * What the worker asks of an owner's reply watch before a later stage: whether replies are being
 * read, so a stage never goes to someone whose answer nobody has seen. Implemented by
 * {@code comms.core.reply.Watches}.
 */
public interface ReplyWatch {
  /** Empty when {@code owner}'s later stages may go now, else the sentence that says why not. */
  Optional<String> unhealthy(String owner, Instant now);

  /** Runs at the start of each worker pass (in simulation: a sync of the simulated inbox; alerts for stale watches). */
  default void beforePass(Instant now) {}

  /** No watch required (tests of other rules). */
  ReplyWatch NONE = (owner, now) -> Optional.empty();
}
