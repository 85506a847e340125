package comms.core.store;

import comms.core.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Provider send rates, shared by every process on one store: each scope (a provider account, or one
 * sender number or mailbox) has the instant its next unit may go ({@code next_at}). A send of
 * {@code units} reserves the slot {@code max(next_at, now)} and moves {@code next_at} on by
 * {@code units × interval} — the generic cell rate algorithm without a burst allowance, so sends are
 * spaced evenly and no window of the rate's length holds more than its limit, however many
 * processes share the budget. The read and the move are one write transaction (BEGIN IMMEDIATE):
 * two processes never get the same slot.
 */
public final class SendPacing {
  private final Store store;

  private SendPacing(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static SendPacing of(Store store) {
    return new SendPacing(store);
  }

  /**
   * Reserves the next slot of {@code scope} for {@code units} at {@code now}: the instant the send
   * may go (now, or later when earlier sends hold the budget). Empty when that slot is more than
   * {@code maxAhead} away; then nothing is reserved and the caller tries again later.
   */
  public Optional<Instant> reserve(String scope, int units, Duration interval, Instant now, Duration maxAhead) {
    if (units < 1) {
      throw new IllegalArgumentException("units " + units);
    }
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "reserve a send slot of " + scope,
          c,
          () -> {
            Instant next = nextAt(c, scope).orElse(now);
            Instant slot = next.isAfter(now) ? next : now;
            if (Duration.between(now, slot).compareTo(maxAhead) > 0) {
              return Optional.<Instant>empty();
            }
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO send_pacing (scope, next_at) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET next_at = excluded.next_at")) {
              ps.setString(1, scope);
              ps.setString(2, Timestamps.format(slot.plus(interval.multipliedBy(units))));
              ps.executeUpdate();
            }
            return Optional.of(slot);
          });
    }
  }

  /** When the next unit of {@code scope} may go; empty when nothing was reserved yet (it may go now). */
  public Optional<Instant> nextAt(String scope) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return Optional.empty();
      }
      return store.run("read the send slot of " + scope, () -> nextAt(c, scope));
    }
  }

  private static Optional<Instant> nextAt(Connection c, String scope) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT next_at FROM send_pacing WHERE scope = ?")) {
      ps.setString(1, scope);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Timestamps.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }
}
