package comms.core.sequence;

import comms.core.contract.SequencesContract;
import comms.core.policy.RecipientCountApproval;
import comms.core.policy.StageDelay;
import comms.core.policy.StageTrigger;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The limits a sequence lives under, from the sequences contract: stages, recipients per call, the
 * widest send window, forbidden names, which approval a recipient count needs and for how long it
 * holds, and the stage rules (core/policy's {@link StageDelay} and {@link StageTrigger}) a sequence
 * file is read with.
 */
public record SequenceRules(
    int maxStages,
    int maxRecipientsPerCall,
    LocalTime windowStart,
    LocalTime windowEnd,
    List<ForbiddenName> forbiddenNames,
    List<Tier> tiers,
    Duration approvalValidity,
    StageDelay delays,
    StageTrigger triggers,
    comms.core.contract.ImessageRules imessage) {
  /** The limits and stage rules with no iMessage allowlist. */
  public SequenceRules(
      int maxStages, int maxRecipientsPerCall, LocalTime windowStart, LocalTime windowEnd, List<ForbiddenName> forbiddenNames, List<Tier> tiers,
      Duration approvalValidity, StageDelay delays, StageTrigger triggers) {
    this(maxStages, maxRecipientsPerCall, windowStart, windowEnd, forbiddenNames, tiers, approvalValidity, delays, triggers, null);
  }

  public SequenceRules {
    imessage = imessage == null ? comms.core.contract.ImessageRules.OFF : imessage;
    forbiddenNames = List.copyOf(forbiddenNames);
    tiers = List.copyOf(tiers);
    delays = delays == null ? DEFAULT_DELAYS : delays;
    triggers = triggers == null ? DEFAULT_TRIGGERS : triggers;
  }

  /** The limits with the outbound contract's default stage rules (delays up to 90 days; always, no_reply, no_engagement). */
  public SequenceRules(
      int maxStages, int maxRecipientsPerCall, LocalTime windowStart, LocalTime windowEnd, List<ForbiddenName> forbiddenNames, List<Tier> tiers,
      Duration approvalValidity) {
    this(maxStages, maxRecipientsPerCall, windowStart, windowEnd, forbiddenNames, tiers, approvalValidity, null, null);
  }

  /** These limits with at most {@code n} stages. */
  public SequenceRules withMaxStages(int n) {
    return new SequenceRules(n, maxRecipientsPerCall, windowStart, windowEnd, forbiddenNames, tiers, approvalValidity, delays, triggers, imessage);
  }

  private static final StageDelay DEFAULT_DELAYS = new StageDelay(Duration.ofDays(90));

  private static final StageTrigger DEFAULT_TRIGGERS =
      new StageTrigger(
          new SequencesContract.Triggers(
              null,
              SequencesContract.KNOWN_TRIGGERS,
              Map.of(
                  "opened",
                  "opens are not a trustworthy signal (Apple Mail Privacy Protection and Google Image Proxy fetch tracking pixels for every"
                      + " message, read or not); use no_engagement, which counts only replies, clicks and human-shaped opens")));

  /** A name pattern a sequence may not carry, and why. */
  public record ForbiddenName(Pattern pattern, String reason) {}

  /**
   * Counts from {@code min} to {@code max} (null: no upper bound) need approval {@code kind} (none,
   * confirm, multipov, token); a multipov review needs {@code reviewers} confirmations.
   */
  public record Tier(int min, Integer max, String kind, int reviewers) {
    /** A tier with the contract's default number of reviewers ({@link SequencesContract#DEFAULT_REVIEWERS} for multipov). */
    public Tier(int min, Integer max, String kind) {
      this(min, max, kind, kind.equals("multipov") ? SequencesContract.DEFAULT_REVIEWERS : 0);
    }
  }

  /** The approval-by-count rule of core/policy over these tiers: the one place a count's tier is looked up. */
  public RecipientCountApproval approvals() {
    List<SequencesContract.Tier> t =
        tiers.stream()
            .map(x -> new SequencesContract.Tier(null, x.min(), x.max(), x.kind(), x.reviewers()))
            .toList();
    return new RecipientCountApproval(new SequencesContract.Approvals(null, approvalValidity, t));
  }

  /** The approval kind {@code count} recipients need (none for no recipients). */
  public String approvalFor(int count) {
    return count < 1 ? "none" : approvals().required(count).wire();
  }

  /** The tier a count falls in, as "51–500". */
  public String tierOf(int count) {
    return count < 1 ? String.valueOf(count) : approvals().tier(count).range();
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
