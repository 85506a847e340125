package comms.core.send;

import comms.core.contract.PolicyContract;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Quiet hours judged in the recipient's local time. With several candidate zones (a number spanning
 * zones) every one must be outside the window, and the next allowed instant is the earliest at which
 * they all are.
 *
 * @param zoneSource where the zones came from, in words ("given", "from the number", "policy default zone")
 * @param nextAllowedAt the earliest instant all zones are outside quiet hours; null when not inside, or
 *     when no such instant exists within a week (see {@link #never()})
 */
public record QuietHoursCheck(
    PolicyContract.QuietHours window, Instant at, List<ZoneId> zones, String zoneSource, boolean inside, Instant nextAllowedAt) {
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");
  private static final int LOOKAHEAD_DAYS = 8;

  public QuietHoursCheck {
    zones = List.copyOf(zones);
  }

  public static QuietHoursCheck judge(PolicyContract.QuietHours window, Instant at, List<ZoneId> zones, String zoneSource) {
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("quiet hours need at least one zone");
    }
    if (outsideEverywhere(window, at, zones)) {
      return new QuietHoursCheck(window, at, zones, zoneSource, false, null);
    }
    // The allowed set is a union of intervals, each opening at some zone's end of quiet hours, so the
    // earliest allowed instant is one of those openings.
    TreeSet<Instant> openings = new TreeSet<>();
    for (ZoneId z : zones) {
      LocalDate today = at.atZone(z).toLocalDate();
      for (int d = -1; d <= LOOKAHEAD_DAYS; d++) {
        Instant open = opening(today.plusDays(d), window.end(), z);
        if (open.isAfter(at)) {
          openings.add(open);
        }
      }
    }
    for (Instant candidate : openings) {
      if (outsideEverywhere(window, candidate, zones)) {
        return new QuietHoursCheck(window, at, zones, zoneSource, true, candidate);
      }
    }
    return new QuietHoursCheck(window, at, zones, zoneSource, true, null);
  }

  /**
   * The instant quiet hours end on {@code day} in {@code zone}. When the end falls in a spring-forward
   * gap (02:30 on a night the clocks jump from 02:00 to 03:00) that wall time never happens, and the
   * window is over at the moment the clocks jump; {@link ZonedDateTime#of} would move it a whole gap
   * later. In a fall-back overlap the first of the two moments ends it.
   */
  static Instant opening(LocalDate day, LocalTime end, ZoneId zone) {
    LocalDateTime wall = LocalDateTime.of(day, end);
    ZoneOffsetTransition gap = zone.getRules().getTransition(wall);
    if (gap != null && gap.isGap()) {
      return gap.getInstant();
    }
    return ZonedDateTime.ofLocal(wall, zone, null).toInstant();
  }

  private static boolean outsideEverywhere(PolicyContract.QuietHours window, Instant t, List<ZoneId> zones) {
    return zones.stream().noneMatch(z -> window.contains(t.atZone(z).toLocalTime()));
  }

  /** Inside quiet hours with no instant in the coming week outside them in every zone. */
  public boolean never() {
    return inside && nextAllowedAt == null;
  }

  public Gate gate() {
    String span = window.start() + "-" + window.end();
    if (!inside) {
      return Gate.pass(Gate.QUIET_HOURS, localTimes(zones) + " (" + zoneSource + ") is outside quiet hours " + span);
    }
    List<ZoneId> in = zones.stream().filter(z -> window.contains(at.atZone(z).toLocalTime())).toList();
    String where = localTimes(in) + (zones.size() > in.size() ? " (of " + zones.size() + " zones " + zoneSource + ")" : " (" + zoneSource + ")");
    if (never()) {
      return Gate.fail(
          Gate.QUIET_HOURS,
          where + " is inside quiet hours " + span + ", and the zones never share a moment outside them;"
              + " give the recipient's own time zone (--recipient-tz)");
    }
    // A fail, since the send may not go now; the preview's verdict is deferred rather than blocked.
    return Gate.fail(Gate.QUIET_HOURS, where + " is inside quiet hours " + span + "; deferred, next allowed at " + nextAllowedAt);
  }

  private String localTimes(List<ZoneId> zs) {
    List<String> parts = new ArrayList<>();
    int shown = 0;
    for (ZoneId z : zs) {
      if (shown++ == 4) {
        parts.add("and " + (zs.size() - 4) + " more");
        break;
      }
      LocalTime t = at.atZone(z).toLocalTime();
      parts.add(HHMM.format(t) + " in " + z.getId());
    }
    return String.join(", ", parts);
  }
}
