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
 * two processes never get the same slot. A slot says when a send may begin; {@link #departure}
 * then spaces the requests as they leave.
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
            write(c, scope, slot.plus(interval.multipliedBy(units)));
            return Optional.of(slot);
          });
    }
  }

  /**
   * A departure asked for: {@code left} when the send may leave now (and its departure is recorded),
   * else {@code next}, when to ask again; {@code held} when that is a hold's end, which may come sooner.
   */
  public record Departure(boolean left, Instant next, boolean held) {}

  /**
   * Whether a send of {@code units} on {@code scope} may leave at {@code now}: no sooner than
   * {@code units × interval} after the scope's previous departure (by any process), and not while an
   * earlier request is held in flight. Sends reserve their slot with {@link #reserve} first; this
   * second, shorter step spaces the requests themselves, so one that left its slot late does not
   * bring the next one too close to it. With {@code hold}, the departure also holds the scope for at
   * most that long, until {@link #release}: nobody else leaves while this request is in flight (a
   * run's first request, whose arrival nothing bounds yet). Kept in the same table under the scope's
   * name with {@link #DEPARTURES} and {@link #HELD} appended.
   */
  public Departure departure(String scope, int units, Duration interval, Instant now, Duration hold) {
    synchronized (store) {
      // A look without the write lock first: runs waiting on a held scope ask often.
      Departure busy = store.run("read the send departures of " + scope, () -> departsAt(store.open(true), scope, now));
      if (busy != null) {
        return busy;
      }
      Connection c = store.open(true);
      return store.transaction(
          "record a send departure of " + scope,
          c,
          () -> {
            Departure notYet = departsAt(c, scope, now);
            if (notYet != null) {
              return notYet;
            }
            write(c, scope + DEPARTURES, now.plus(interval.multipliedBy(units)));
            if (hold != null) {
              write(c, scope + HELD, now.plus(hold));
            }
            return new Departure(true, now, false);
          });
    }
  }

  /** Not yet, if {@code scope} may not see a departure at {@code now}: until its hold ends, else its spacing; null when it may. */
  private static Departure departsAt(Connection c, String scope, Instant now) throws SQLException {
    Optional<Instant> held = nextAt(c, scope + HELD).filter(t -> t.isAfter(now));
    if (held.isPresent()) {
      return new Departure(false, held.get(), true);
    }
    return nextAt(c, scope + DEPARTURES).filter(t -> t.isAfter(now)).map(t -> new Departure(false, t, false)).orElse(null);
  }

  /**
   * Holds {@code scope}'s next departure back until {@code until} at least (never brings it forward);
   * with {@code releasing}, also ends the hold a departure took. A request that took longer than usual
   * may have reached the provider late.
   */
  public void holdDepartures(String scope, Instant until, boolean releasing) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "hold the send departures of " + scope,
          c,
          () -> {
            Instant next = nextAt(c, scope + DEPARTURES).orElse(until);
            if (!next.isAfter(until)) {
              write(c, scope + DEPARTURES, until);
            }
            if (releasing) {
              try (PreparedStatement ps = c.prepareStatement("DELETE FROM send_pacing WHERE scope = ?")) {
                ps.setString(1, scope + HELD);
                ps.executeUpdate();
              }
            }
            return null;
          });
    }
  }

  /** What {@link #departure} appends to a scope's name for its departures' row. */
  public static final String DEPARTURES = " departures";

  /** What {@link #departure} appends to a scope's name for the row of its hold. */
  public static final String HELD = " held";

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

  private static void write(Connection c, String scope, Instant next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO send_pacing (scope, next_at) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET next_at = excluded.next_at")) {
      ps.setString(1, scope);
      ps.setString(2, Timestamps.format(next));
      ps.executeUpdate();
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
