package comms.core.policy;

import comms.core.contract.ImessageRules;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The hours an operator's iMessages may go out in: [start, end) of the operator's own wall clock
 * (default 09:00–20:00), every day. Outside them a text waits for the next opening, judged in the
 * operator's IANA zone so daylight saving time moves the hours with the operator.
 */
public final class ImessageHours implements PolicyRule {
  private final LocalTime start;
  private final LocalTime end;

  public ImessageHours(LocalTime start, LocalTime end) {
    this.start = Objects.requireNonNull(start);
    this.end = Objects.requireNonNull(end);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("iMessage hours must open before they close: " + start + "-" + end);
    }
  }

  public static ImessageHours of(ImessageRules rules) {
    return new ImessageHours(rules.start(), rules.end());
  }

  @Override
  public String name() {
    return "imessage_hours";
  }

  @Override
  public String cites() {
    return "outbound contract §11 (design doc §3): iMessages only " + start + "-" + end + " operator-local";
  }

  /** Empty when a text may go at {@code now} for an operator in {@code zone}; else the instant the hours next open. */
  public Optional<Instant> closedUntil(Instant now, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    if (!t.isBefore(start) && t.isBefore(end)) {
      return Optional.empty();
    }
    ZonedDateTime opens = t.isBefore(start) ? local.with(start) : local.toLocalDate().plusDays(1).atTime(start).atZone(zone);
    // atZone moves a start inside a spring-forward gap to the gap's end, when the clock shows it.
    return Optional.of(opens.toInstant());
  }

  /** The sentence a closed hour gets. */
  public String explain(Instant opensAt, ZoneId zone) {
    return "outside the operator's iMessage hours " + start + "-" + end + " (" + zone + "); next opening " + opensAt;
  }
}
