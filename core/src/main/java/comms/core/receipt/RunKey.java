package comms.core.receipt;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A run's identity: UTC time to the millisecond (so keys sort by time) and 48 random bits (so two
 * processes starting in the same millisecond still differ), e.g. {@code 20261122T041500123Z-3f9a2c7b1d04}.
 */
public final class RunKey {
  public static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{12}");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunKey() {}

  public static String next(Clock clock) {
    byte[] r = new byte[6];
    RANDOM.nextBytes(r);
    return TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(r);
  }

  public static boolean valid(String key) {
    return key != null && SHAPE.matcher(key).matches();
  }
}
