package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.SequencesContract;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a stage waits after the previous one: whole days, hours and minutes, largest first
 * ({@code 3d}, {@code 4h}, {@code 30m}, {@code 1d12h}, or {@code 0}), never negative, never longer
 * than the contract's {@code limits.max_stage_delay_days}.
 */
public final class StageDelay implements PolicyRule {
  private static final Pattern FORM = Pattern.compile("(?:(\\d{1,7})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?");
  private static final String HOW = "write whole numbers with d (days), h (hours) and m (minutes), largest first, such as 3d, 4h, 30m or 1d12h, or 0 for no wait";

  private final Duration max;

  public StageDelay(Duration max) {
    this.max = max;
  }

  public static StageDelay of(SequencesContract contract) {
    return new StageDelay(Duration.ofDays(contract.limits().maxStageDelayDays()));
  }

  /** The delay {@code text} writes; refused (exit 3) when negative, malformed or longer than the limit. */
  public Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw refuse("a stage needs a delay; " + HOW);
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("-")) {
      throw refuse("delay '" + text.strip() + "' is negative; a stage can only wait after the previous one, so " + HOW);
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORM.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      throw refuse("delay '" + text.strip() + "' is not a duration comms reads; " + HOW);
    }
    Duration d = Duration.ofDays(part(m, 1)).plusHours(part(m, 2)).plusMinutes(part(m, 3));
    if (d.compareTo(max) > 0) {
      throw refuse("delay '" + text.strip() + "' is longer than the " + max.toDays() + " days a stage may wait (limits.max_stage_delay_days in "
          + SequencesContract.FILE + "); split the sequence or shorten the delay");
    }
    return d;
  }

  /** A delay as {@link #parse} reads it back: {@code 1d12h}, {@code 30m}, {@code 0}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    StringBuilder b = new StringBuilder();
    if (d.toDays() > 0) {
      b.append(d.toDays()).append('d');
    }
    if (d.toHoursPart() > 0) {
      b.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    return b.toString();
  }

  private static long part(Matcher m, int group) {
    return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
  }

  private RuleRefusal refuse(String sentence) {
    return new RuleRefusal(this, ExitCode.CONTRACT, sentence);
  }

  @Override
  public String name() {
    return "stage_delay";
  }

  @Override
  public String cites() {
    return "issue 14: a stage waits a delay after the previous one (such as 3d or 4h), at most limits.max_stage_delay_days";
  }
}
