package comms.core.approval;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.policy.RecipientCountApproval;
import comms.core.policy.RecipientSetHash;
import comms.core.policy.RuleRefusal;
import comms.core.outbox.Sha256;
import comms.core.store.ApprovalStore;
import comms.core.store.ApprovalStore.ApprovalRow;
import comms.core.store.Roster;
import comms.core.store.SequenceStore.SequenceRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Approvals by recipient count: something a person did — a confirmation by another operator, a
 * review two other operators confirmed, a token an admin issued — bound to one sequence and a hash
 * of its exact recipient set, valid for a while, a token once. A citation (confirm:EMAIL,
 * multipov:REVIEW, token:TOKEN) is checked against what was recorded, never taken on its word.
 */
public final class Approvals {
  public static final List<String> KINDS = List.of("none", "confirm", "multipov", "token");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApprovalStore store;
  private final Roster roster;
  private final Clock clock;
  private final Duration validity;

  public Approvals(ApprovalStore store, Roster roster, Clock clock, Duration validity) {
    this.store = Objects.requireNonNull(store);
    this.roster = Objects.requireNonNull(roster);
    this.clock = Objects.requireNonNull(clock);
    this.validity = Objects.requireNonNull(validity);
  }

  /** The hash an approval binds to: the sequence and its sorted canonical recipients. Adding a recipient changes it. */
  public static String recipientSetHash(String sequenceId, List<String> recipients) {
    return RecipientSetHash.of(sequenceId, recipients).hex();
  }

  /** What a recording call gives back: the approval, and the token in clear when one was issued (shown once, never stored). */
  public record Given(ApprovalRow approval, String token) {}

  /**
   * {@code who} confirms the sequence's current recipient set: a confirmation of its own, and a vote on
   * every open review of the same set. The owner cannot approve their own sequence.
   */
  public Given confirm(Identity who, SequenceRow seq, String setHash, AuditTrail audit) {
    notOwner(who, seq, "confirm");
    Instant now = clock.instant();
    ApprovalRow row = new ApprovalRow(newId("apv"), seq.id(), "confirm", who.owner(), List.of(), setHash, null, now, now.plus(validity), null);
    audit.apply(
        AuditTrail.Action.of("approval.confirm", "approval", row.id()).with("sequence_id", seq.id()).with("kind", "confirm"),
        () -> {
          store.add(row);
          for (ApprovalRow r : store.forSequence(seq.id())) {
            if (r.kind().equals("multipov") && r.recipientSetHash().equals(setHash) && r.expiresAt().isAfter(now) && !r.reviewers().contains(who.owner())) {
              List<String> reviewers = new ArrayList<>(r.reviewers());
              reviewers.add(who.owner());
              store.addReviewer(r.id(), reviewers);
            }
          }
          return null;
        },
        x -> AuditTrail.outcome("confirmed", 0));
    return new Given(row, null);
  }

  /** Opens a multi-person review of the current recipient set; as many operators other than the owner as its tier says then confirm it. */
  public Given request(Identity who, SequenceRow seq, String setHash, AuditTrail audit) {
    mayAct(who, seq);
    Instant now = clock.instant();
    ApprovalRow row = new ApprovalRow(newId("rev"), seq.id(), "multipov", null, List.of(), setHash, null, now, now.plus(validity), null);
    audit.apply(
        AuditTrail.Action.of("approval.request", "approval", row.id()).with("sequence_id", seq.id()).with("kind", "multipov"),
        () -> {
          store.add(row);
          return null;
        },
        x -> AuditTrail.outcome("requested", 0));
    return new Given(row, null);
  }

  /** An admin issues a single-use token for the current recipient set; the token is returned once and stored only as its hash. */
  public Given issue(Identity who, SequenceRow seq, String setHash, AuditTrail audit) {
    if (!who.admin()) {
      throw new CommsException(ExitCode.CONTRACT, who.owner() + " is not an admin; only an admin can issue an approval token (comms operators.list shows the admins)");
    }
    notOwner(who, seq, "issue a token for");
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    String token = "apt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    Instant now = clock.instant();
    ApprovalRow row = new ApprovalRow(newId("tok"), seq.id(), "token", who.owner(), List.of(), setHash, Sha256.hex(token), now, now.plus(validity), null);
    audit.apply(
        AuditTrail.Action.of("approval.issue", "approval", row.id()).with("sequence_id", seq.id()).with("kind", "token"),
        () -> {
          store.add(row);
          return null;
        },
        x -> AuditTrail.outcome("issued", 0));
    return new Given(row, token);
  }

  /** The rule's how-to with this sequence's id in place of its placeholder, so it can be run as written. */
  private static String forSequence(String how, SequenceRow seq) {
    return how.replace("approval.confirm SEQUENCE", "approval.confirm " + seq.id())
        .replace("approval.request SEQUENCE", "approval.request " + seq.id())
        .replace("approval.issue SEQUENCE", "approval.issue " + seq.id());
  }

  /**
   * Checks that {@code citation} satisfies the gate {@code count} recipients fall in (the contract's
   * rule, {@link RecipientCountApproval}: which kind, how it is written, how many reviewers) on the
   * sequence's current recipient set; a token is spent. Empty when it does (or none is needed), else
   * the refusal sentence.
   */
  public Optional<String> check(SequenceRow seq, RecipientCountApproval rule, int count, String citation, String setHash) {
    Optional<RecipientCountApproval.Citation> cited;
    try {
      cited = rule.check(count, citation);
    } catch (RuleRefusal r) {
      // Missing, of another kind or not well formed: the gate refuses it (exit 4), in the rule's words.
      return Optional.of(forSequence(r.getMessage(), seq));
    }
    if (cited.isEmpty()) {
      return Optional.empty();
    }
    String required = cited.get().kind().wire();
    String value = cited.get().value();
    String how = forSequence(rule.gate(rule.tier(count)), seq);
    Instant now = clock.instant();
    List<ApprovalRow> rows = store.forSequence(seq.id()).stream().filter(r -> r.kind().equals(required)).toList();
    Optional<ApprovalRow> match =
        switch (required) {
          case "confirm" -> rows.stream().filter(r -> r.approver().equalsIgnoreCase(value)).findFirst();
          case "multipov" -> rows.stream().filter(r -> r.id().equals(value)).findFirst();
          case "token" -> rows.stream().filter(r -> Objects.equals(r.tokenSha256(), Sha256.hex(value))).findFirst();
          default -> Optional.empty();
        };
    if (match.isEmpty()) {
      return Optional.of("no " + required + " approval matching '" + (required.equals("token") ? "the token given" : value) + "' was recorded for " + seq.id() + ": " + how);
    }
    ApprovalRow a = match.get();
    if (!a.expiresAt().isAfter(now)) {
      return Optional.of(
          "the " + required + " approval " + a.id() + " expired at " + a.expiresAt() + "; the sequence stays as it is. Ask again: " + how);
    }
    if (!a.recipientSetHash().equals(setHash)) {
      return Optional.of("the " + required + " approval " + a.id() + " was given for another recipient set (recipients were added or removed since): adding or removing a recipient voids it. Ask again: " + how);
    }
    int reviewers = rule.reviewers(count);
    if (required.equals("multipov") && a.reviewers().size() < reviewers) {
      return Optional.of("review " + a.id() + " has " + a.reviewers().size() + " of the " + reviewers + " confirmations it needs (comms approval.confirm " + seq.id() + " --as REVIEWER)");
    }
    if (required.equals("token") && (a.usedAt() != null || !store.spend(a.id(), now))) {
      return Optional.of("the approval token " + a.id() + " was already used; tokens are single use. " + how);
    }
    return Optional.empty();
  }

  private void notOwner(Identity who, SequenceRow seq, String what) {
    if (who.owner().equalsIgnoreCase(seq.owner())) {
      throw new CommsException(
          ExitCode.CONTRACT, who.owner() + " owns " + seq.id() + " and cannot " + what + " their own sequence; an operator other than the owner must (--as APPROVER)");
    }
    if (roster.find(who.owner()).filter(Roster.Operator::active).isEmpty()) {
      throw new CommsException(ExitCode.CONTRACT, who.owner() + " is not an active operator and cannot approve");
    }
  }

  /** Whether {@code email} is an active operator of the roster now (a sequence's owner must be). */
  public boolean activeOperator(String email) {
    return roster.find(email).filter(Roster.Operator::active).isPresent();
  }

  static void mayAct(Identity who, SequenceRow seq) {
    if (!who.admin() && !who.owner().equalsIgnoreCase(seq.owner())) {
      throw new comms.core.Refused(
          comms.core.Refused.Why.OTHER_OPERATOR, ExitCode.CONTRACT, seq.id() + " belongs to " + seq.owner() + "; " + who.owner() + " may not act on another operator's sequence");
    }
  }

  static String newId(String prefix) {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return prefix + "_" + HexFormat.of().formatHex(b);
  }
}
