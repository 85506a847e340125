package comms.core.receipt;

import java.util.SplittableRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A run's identity: UTC time to the millisecond (so keys sort by time) and 48 random bits (so two
 * processes starting in the same millisecond still differ), e.g. {@code 20261122T041500123Z-3f9a2c7b1d04}.
 */
public final class RunKey {
  public static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{12}");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  /**
   * Not SecureRandom: a run key is an identifier, not a secret, and SecureRandom's provider set-up
   * costs every command start-up. Seeded from the clock's nanoseconds and the process id, so
   * processes started in the same millisecond still draw different keys.
   */
  private static final SplittableRandom RANDOM =
      new SplittableRandom(System.nanoTime() * 0x9E3779B97F4A7C15L ^ ProcessHandle.current().pid() << 32 ^ System.currentTimeMillis());

  private RunKey() {}

  public static String next(Clock clock) {
    long bits;
    synchronized (RANDOM) {
      bits = RANDOM.nextLong() & 0xFFFF_FFFF_FFFFL;
    }
    return TIME.format(clock.instant()) + "-" + String.format("%012x", bits);
  }

  public static boolean valid(String key) {
    return key != null && SHAPE.matcher(key).matches();
  }
}
