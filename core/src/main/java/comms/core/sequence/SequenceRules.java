package comms.core.sequence;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The limits a sequence lives under, from the sequences contract: stages, recipients per call, the
 * widest send window, forbidden names, and which approval a recipient count needs and for how long
 * it holds.
 */
public record SequenceRules(
    int maxStages,
    int maxRecipientsPerCall,
    LocalTime windowStart,
    LocalTime windowEnd,
    List<ForbiddenName> forbiddenNames,
    List<Tier> tiers,
    Duration approvalValidity) {
  public SequenceRules {
    forbiddenNames = List.copyOf(forbiddenNames);
    tiers = List.copyOf(tiers);
  }

  /** A name pattern a sequence may not carry, and why. */
  public record ForbiddenName(Pattern pattern, String reason) {}

  /** Counts from {@code min} to {@code max} (null: no upper bound) need approval {@code kind} (none, confirm, multipov, token). */
  public record Tier(int min, Integer max, String kind) {
    boolean holds(int count) {
      return count >= min && (max == null || count <= max);
    }
  }

  /** The approval kind {@code count} recipients need. */
  public String approvalFor(int count) {
    return tiers.stream().filter(t -> t.holds(count)).map(Tier::kind).findFirst().orElse("none");
  }

  /** The tier a count falls in, as "51–500". */
  public String tierOf(int count) {
    return tiers.stream().filter(t -> t.holds(count)).map(t -> t.min() + (t.max() == null ? "+" : "–" + t.max())).findFirst().orElse(String.valueOf(count));
  }

  /** The outbound contract's defaults. */
  public static final SequenceRules DEFAULTS =
      new SequenceRules(
          5,
          2000,
          LocalTime.of(8, 0),
          LocalTime.of(20, 0),
          List.of(new ForbiddenName(Pattern.compile("\\(Copy\\)"), "a name with (Copy) is an unreviewed duplicate of another sequence; give it its own name")),
          List.of(new Tier(1, 50, "none"), new Tier(51, 500, "confirm"), new Tier(501, 1000, "multipov"), new Tier(1001, null, "token")),
          Duration.ofHours(24));
}
