package comms.core.policy;

import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.SequencesContract;
import comms.core.contract.SequencesContract.Tier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which approval a recipient count needs (the contract's tiers: none, confirm, multipov, token), whether
 * an {@code --approval KIND:VALUE} citation is the right kind and well formed, and whether a recorded
 * approval still holds: not expired, and bound to the current recipient set. Recording and looking up
 * approvals is the store's job; this is the rule.
 */
public final class RecipientCountApproval implements PolicyRule {
  /** The approval kinds, as citations and the contract write them. */
  public enum Kind {
    NONE, CONFIRM, MULTIPOV, TOKEN;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** A parsed {@code --approval} value. The value of a token is a secret: it is never shown. */
  public record Citation(Kind kind, String value) {
    public Citation {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
      return kind.wire() + ":" + (kind == Kind.TOKEN ? "…" : value);
    }
  }

  static final Pattern REVIEW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,63}");
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,256}");

  private final SequencesContract.Approvals approvals;

  public RecipientCountApproval(SequencesContract.Approvals approvals) {
    this.approvals = Objects.requireNonNull(approvals);
  }

  /** The tier {@code count} recipients fall in. */
  public Tier tier(int count) {
    return approvals.tierFor(count);
  }

  /** The approval {@code count} recipients need. */
  public Kind required(int count) {
    return Kind.of(tier(count).kind());
  }

  /** How many operators other than the owner must confirm a multipov review for {@code count} recipients (0 for other kinds). */
  public int reviewers(int count) {
    return tier(count).reviewers();
  }

  /** How many confirmations a multipov review needs under this contract (its multipov tier's reviewers; 0 without one). */
  public int multipovReviewers() {
    return approvals.tiers().stream().filter(x -> x.kind().equals("multipov")).mapToInt(SequencesContract.Tier::reviewers).max().orElse(0);
  }

  /**
   * Checks the citation given for {@code count} recipients: empty when the tier needs none, else the
   * parsed citation of the right kind (which the caller then looks up among recorded approvals).
   * Missing or of the wrong kind: refused, exit 4; malformed: refused, exit 2.
   */
  public Optional<Citation> check(int count, String citation) {
    Tier t = tier(count);
    Kind needed = Kind.of(t.kind());
    if (needed == Kind.NONE) {
      return Optional.empty();
    }
    if (citation == null || citation.isBlank()) {
      throw new RuleRefusal(this, ExitCode.POLICY, count + " recipients need approval " + needed.wire() + " and none was given: " + gate(t));
    }
    // The kind first: a citation of another kind is refused as such, whatever its value (a token's is never judged or shown).
    String s = citation.strip();
    String kind = (s.indexOf(':') < 0 ? s : s.substring(0, s.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
    if (!kind.equals(needed.wire()) && List.of("confirm", "multipov", "token").contains(kind)) {
      throw new RuleRefusal(this, ExitCode.POLICY, count + " recipients need approval " + needed.wire() + ", not " + kind + ": " + gate(t));
    }
    return Optional.of(parse(citation));
  }

  /** Parses {@code KIND:VALUE}; a malformed one is refused (exit 2) saying how to write it. */
  public Citation parse(String citation) {
    String s = citation.strip();
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = colon < 0 ? "" : s.substring(colon + 1).strip();
    switch (kind) {
      case "confirm" -> {
        if (!OperatorsContract.EMAIL.matcher(value).matches()) {
          throw malformed("--approval confirm: needs the approving operator's email address, such as --approval confirm:sam@example.com");
        }
        return new Citation(Kind.CONFIRM, OperatorsContract.normalize(value));
      }
      case "multipov" -> {
        if (!REVIEW_ID.matcher(value).matches()) {
          throw malformed("--approval multipov: needs the review id that approval.request printed, such as --approval multipov:rev_3f9a1c");
        }
        return new Citation(Kind.MULTIPOV, value);
      }
      case "token" -> {
        if (!TOKEN.matcher(value).matches()) {
          // Never echo what was given: it may be a real token with a typo.
          throw malformed("--approval token: needs the approval token an admin was given by approval.issue, as --approval token:<approval_token> (letters, digits, '-' and '_', at least 16)");
        }
        return new Citation(Kind.TOKEN, value);
      }
      default -> throw malformed(
          "--approval must be KIND:VALUE with KIND one of confirm, multipov or token, such as --approval confirm:sam@example.com; '"
              + (kind.length() > 20 ? kind.substring(0, 20) + "…" : kind) + "' is not one");
    }
  }

  /** When an approval given at {@code givenAt} stops holding. */
  public Instant expiresAt(Instant givenAt) {
    return givenAt.plus(approvals.validity());
  }

  /** True when an approval given at {@code givenAt} no longer holds at the clock's instant. */
  public boolean expired(Instant givenAt, Clock clock) {
    return !clock.instant().isBefore(expiresAt(givenAt));
  }

  /**
   * Refuses (exit 4) an approval that expired or that was given for another recipient set, saying the
   * sequence stays as it is and how to ask again.
   */
  public void checkHolds(Citation c, int count, Instant givenAt, RecipientSetHash approved, RecipientSetHash current, Clock clock) {
    if (expired(givenAt, clock)) {
      throw new RuleRefusal(
          this, ExitCode.POLICY,
          "the " + c.kind().wire() + " approval " + c + " expired at " + expiresAt(givenAt) + " (" + approvals.validity().toHours()
              + " h after it was given); the sequence stays as it is. Ask again: " + gate(tier(count)));
    }
    if (!approved.hex().equals(current.hex())) {
      throw new RuleRefusal(
          this, ExitCode.POLICY,
          "the " + c.kind().wire() + " approval " + c + " was given for another recipient set (" + approved.recipients() + " recipients; now "
              + current.recipients() + "): adding or removing a recipient voids it. Ask again: " + gate(tier(count)));
    }
  }

  /** The gate a tier applies and how to satisfy it, in one sentence. */
  public String gate(Tier t) {
    String range = t.range() + " recipients";
    return switch (Kind.of(t.kind())) {
      case NONE -> range + " need no approval";
      case CONFIRM -> range + " need `--approval confirm:<approver_email>` citing an `approval.confirm` by an operator other than the owner"
          + " (comms approval.confirm SEQUENCE --as APPROVER --execute)";
      case MULTIPOV -> range + " need `--approval multipov:<review_id>` citing a review opened with `approval.request --kind multipov` and confirmed by "
          + t.reviewers() + " operators other than the owner (comms approval.request SEQUENCE --kind multipov --execute, then comms approval.confirm"
          + " SEQUENCE --as REVIEWER --execute by each)";
      case TOKEN -> range + " need `--approval token:<approval_token>` citing a single-use token an admin other than the owner issued"
          + " (comms approval.issue SEQUENCE --execute)";
    };
  }

  private RuleRefusal malformed(String sentence) {
    return new RuleRefusal(this, ExitCode.USAGE, sentence);
  }

  @Override
  public String name() {
    return "recipient_count_approval";
  }

  @Override
  public String cites() {
    return "outbound contract §3: approval gates by recipient count (the tiers and validity in " + SequencesContract.FILE + ")";
  }
}
