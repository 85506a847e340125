package comms.core.store;

import comms.core.Timestamps;
import comms.core.contract.OperatorsContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-operator send caps: the units each operator used per UTC day and per UTC minute (calendar
 * buckets, so COMMS_NOW makes them exact in tests). {@link #take} checks both caps and uses one unit of
 * each in a single write transaction (BEGIN IMMEDIATE), so of several processes racing for the last
 * unit exactly one gets it.
 *
 * <p>A unit taken for a delivery is remembered with it (table cap_units) until the send finishes,
 * so it counts exactly once: a later run that re-sends the same delivery after the first run died
 * reuses the unit, and a send certainly not made gives back exactly the unit it took.
 */
public final class SendCaps {
  /** Refusal codes, followed by ':' and the cap that was reached. */
  public static final String DAILY_EXHAUSTED = "daily_cap_exhausted";

  public static final String MINUTE_EXHAUSTED = "minute_cap_exhausted";

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

  private final Store store;
  private final Roster roster;
  /** The minute bucket each operator's old rows were last swept in (by this instance). */
  private final java.util.Map<String, String> sweptIn = new java.util.concurrent.ConcurrentHashMap<>();

  private SendCaps(Store store, Roster roster) {
    this.store = Objects.requireNonNull(store);
    this.roster = Objects.requireNonNull(roster);
  }

  public static SendCaps of(Store store, Roster roster) {
    return new SendCaps(store, roster);
  }

  /** Units used in the day and the minute of {@code at}. */
  public record Usage(int today, int thisMinute) {}

  /**
   * Takes one unit of the operator's daily and per-minute caps at {@code at}. Empty when both had
   * room (the unit is now used); otherwise why not, as {@code daily_cap_exhausted:<cap>} or
   * {@code minute_cap_exhausted:<cap>} (or {@code operator_inactive} / {@code operator_unknown} when the
   * roster changed since the run began), and nothing is used.
   */
  public Optional<String> take(String operator, Instant at) {
    return take(operator, at, null);
  }

  /**
   * {@link #take(String, Instant)} for the send of {@code deliveryId} (null: not remembered). When that
   * delivery already holds a unit of this operator (its first run took one and died before finishing)
   * it is reused and nothing more is used; a unit it holds of another operator is given back first.
   */
  public Optional<String> take(String operator, Instant at, String deliveryId) {
    String email = OperatorsContract.normalize(operator);
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "take a unit of " + email + "'s send caps",
          c,
          () -> {
            if (deliveryId != null) {
              Optional<String[]> held = held(c, deliveryId);
              if (held.isPresent() && held.get()[0].equals(email)) {
                return Optional.<String>empty();
              }
              if (held.isPresent()) {
                release(c, deliveryId, held.get());
              }
            }
            roster.seed(c, at);
            Optional<Roster.Operator> op = Roster.row(c, email);
            if (op.isEmpty()) {
              return Optional.of("operator_unknown");
            }
            if (!op.get().active()) {
              return Optional.of("operator_inactive");
            }
            String day = dayBucket(at);
            String minute = minuteBucket(at);
            int usedToday = used(c, email, day);
            if (usedToday >= op.get().dailyCap()) {
              return Optional.of(DAILY_EXHAUSTED + ":" + op.get().dailyCap());
            }
            int usedThisMinute = used(c, email, minute);
            if (usedThisMinute >= op.get().perMinuteCap()) {
              return Optional.of(MINUTE_EXHAUSTED + ":" + op.get().perMinuteCap());
            }
            bump(c, email, day);
            bump(c, email, minute);
            // Once a minute per operator and run (not with every unit: it reads the whole table): units of
            // sends that have finished (or were released) need no remembering any more, and past
            // minutes never count again (their rows would only grow the table).
            boolean sweep = !minute.equals(sweptIn.put(email, minute));
            if (sweep) {
              try (PreparedStatement ps =
                  c.prepareStatement("DELETE FROM cap_units WHERE delivery_id NOT IN (SELECT delivery_id FROM idempotency WHERE state = 'in_flight')")) {
                ps.executeUpdate();
              }
              try (PreparedStatement ps = c.prepareStatement("DELETE FROM send_caps WHERE operator = ? AND bucket LIKE 'minute:%' AND bucket < ?")) {
                ps.setString(1, email);
                ps.setString(2, minute);
                ps.executeUpdate();
              }
            }
            if (deliveryId != null) {
              try (PreparedStatement ps = c.prepareStatement("INSERT INTO cap_units (delivery_id, operator, taken_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (delivery_id) DO UPDATE SET operator = excluded.operator, taken_at = excluded.taken_at")) {
                ps.setString(1, deliveryId);
                ps.setString(2, email);
                ps.setString(3, Timestamps.format(at));
                ps.executeUpdate();
              }
            }
            return Optional.<String>empty();
          });
    }
  }

  /**
   * Gives back the unit {@link #take} took at {@code at}: the send it was taken for was certainly not
   * made (the provider refused it or was never reached). Nothing goes below zero; a minute bucket
   * already swept away is left alone.
   */
  public void giveBack(String operator, Instant at) {
    String email = OperatorsContract.normalize(operator);
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "give back a unit of " + email + "'s send caps",
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE send_caps SET used = used - 1 WHERE operator = ? AND bucket IN (?, ?) AND used > 0")) {
              ps.setString(1, email);
              ps.setString(2, dayBucket(at));
              ps.setString(3, minuteBucket(at));
              ps.executeUpdate();
            }
            return null;
          });
    }
  }

  /**
   * Gives back the unit {@link #take(String, Instant, String)} took for {@code deliveryId}, whichever
   * run took it: the send was certainly not made. Nothing when that delivery holds no unit.
   */
  public void giveBack(String deliveryId) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "give back the send-cap unit of delivery " + deliveryId,
          c,
          () -> {
            Optional<String[]> held = held(c, deliveryId);
            if (held.isPresent()) {
              release(c, deliveryId, held.get());
            }
            return null;
          });
    }
  }

  /**
   * The operator and taken_at of the unit {@code deliveryId} holds while its send is in flight; a row
   * left from a send that finished (swept only once a minute) holds nothing.
   */
  private static Optional<String[]> held(Connection c, String deliveryId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT u.operator, u.taken_at FROM cap_units u WHERE u.delivery_id = ?"
        + " AND EXISTS (SELECT 1 FROM idempotency i WHERE i.delivery_id = u.delivery_id AND i.state = 'in_flight')")) {
      ps.setString(1, deliveryId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
      }
    }
  }

  private static void release(Connection c, String deliveryId, String[] held) throws SQLException {
    Instant at = Instant.parse(held[1]);
    try (PreparedStatement ps = c.prepareStatement("UPDATE send_caps SET used = used - 1 WHERE operator = ? AND bucket IN (?, ?) AND used > 0")) {
      ps.setString(1, held[0]);
      ps.setString(2, dayBucket(at));
      ps.setString(3, minuteBucket(at));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM cap_units WHERE delivery_id = ?")) {
      ps.setString(1, deliveryId);
      ps.executeUpdate();
    }
  }

  /** What the operator has used so far in the day and minute of {@code at}; zeros before the store exists. */
  public Usage usage(String operator, Instant at) {
    String email = OperatorsContract.normalize(operator);
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return new Usage(0, 0);
      }
      return store.run("read " + email + "'s send caps", () -> new Usage(used(c, email, dayBucket(at)), used(c, email, minuteBucket(at))));
    }
  }

  /** A refusal code from {@link #take} as a sentence saying what to do; null for a code that is not a cap's. */
  public static String explain(String operator, String code) {
    if (code == null) {
      return null;
    }
    if (code.startsWith(DAILY_EXHAUSTED + ":")) {
      return operator + " has used their daily send cap (" + code.substring(DAILY_EXHAUSTED.length() + 1)
          + " a UTC day); nothing was sent. Send again after midnight UTC, or ask an admin to raise it (comms operators.update --daily-cap N)";
    }
    if (code.startsWith(MINUTE_EXHAUSTED + ":")) {
      return operator + " has used their per-minute send cap (" + code.substring(MINUTE_EXHAUSTED.length() + 1)
          + " a minute); nothing was sent. Send again in the next minute, or ask an admin to raise it (comms operators.update --per-minute-cap N)";
    }
    if (code.equals("operator_inactive") || code.equals("operator_unknown")) {
      return operator + " is no longer an active operator; nothing was sent";
    }
    return null;
  }

  static String dayBucket(Instant at) {
    return "day:" + DAY.format(at);
  }

  static String minuteBucket(Instant at) {
    return "minute:" + MINUTE.format(at);
  }

  private static int used(Connection c, String operator, String bucket) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT used FROM send_caps WHERE operator = ? AND bucket = ?")) {
      ps.setString(1, operator);
      ps.setString(2, bucket);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static void bump(Connection c, String operator, String bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO send_caps (operator, bucket, used) VALUES (?, ?, 1) ON CONFLICT (operator, bucket) DO UPDATE SET used = send_caps.used + 1")) {
      ps.setString(1, operator);
      ps.setString(2, bucket);
      ps.executeUpdate();
    }
  }
}
