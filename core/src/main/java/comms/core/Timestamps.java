package comms.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one way evidence writes instants: UTC with exactly three fraction digits, so the text sorts
 * in time order (Instant.toString drops zero fractions, and "…00Z" would sort after "…00.5Z").
 */
public final class Timestamps {
  private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Length of every formatted instant between years 0000 and 9999. */
  public static final int LENGTH = 24;

  private Timestamps() {}

  public static String format(Instant at) {
    return FIXED.format(at);
  }

  /** The instant as stored: cut to milliseconds, so a written and a read-back value compare equal. */
  public static Instant stored(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS);
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
