package comms.cli.commands;

import comms.core.CommsException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The one reading of an instant given on the command line (--since, --until): ISO-8601 with Z or an
 * offset, or a date, meaning its start in UTC. A send's --at takes core's {@code SendInput.instant},
 * which reads the same instants but no bare date (a send happens at a moment, not on a day).
 */
public final class InstantOption {
  private InstantOption() {}

  /** {@code text} as an instant; null stays null; anything else is a usage error naming {@code option}. */
  public static Instant parse(String option, String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      return Instant.parse(t);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeException e2) {
        try {
          return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e3) {
          throw CommsException.usage(option + " '" + text + "' is not an ISO-8601 instant such as 2026-11-22T15:00:00Z or a date such as 2026-11-22");
        }
      }
    }
  }
}
