package comms.core.sequence;

import java.time.Instant;
import java.util.Optional;

/** When a sequence may send: its window in its zone, less its holidays. */
@FunctionalInterface
public interface SendingHours {
  /** Empty when {@code at} is inside the window; else why not ({@code window} or {@code holiday}) and the next opening. */
  Optional<Closed> closed(Instant at);

  /** Closed at an instant: the reason word and the next instant the sequence may send. */
  record Closed(String reason, Instant opensAt) {}

  SendingHours ALWAYS = at -> Optional.empty();
}
