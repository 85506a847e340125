package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.approval.ApprovalRequired;
import comms.core.Refused;
import comms.core.approval.Approvals;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The life of a sequence: create a draft, edit it, launch it past its approval gate, pause, resume and
 * stop it, every change naming the state_version it read and written with its audit row in one
 * transaction. Adding recipients lives in {@link Enrollment}.
 */
public final class SequenceService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SequenceStore sequences;
  private final EnrollmentStore enrollments;
  private final Approvals approvals;
  private final SequenceRules rules;
  private final Clock clock;

  public SequenceService(SequenceStore sequences, EnrollmentStore enrollments, Approvals approvals, SequenceRules rules, Clock clock) {
    this.sequences = Objects.requireNonNull(sequences);
    this.enrollments = Objects.requireNonNull(enrollments);
    this.approvals = Objects.requireNonNull(approvals);
    this.rules = Objects.requireNonNull(rules);
    this.clock = Objects.requireNonNull(clock);
  }

  /** A sequence to create or to replace a draft's definition with. {@code owner} null: the acting operator. */
  public record Draft(String name, String owner, SequencePlan plan) {
    public Draft {
      Objects.requireNonNull(name);
      Objects.requireNonNull(plan);
    }
  }

  /** Creates a draft owned by {@code draft.owner} (else the acting operator). */
  public SequenceRow create(Identity who, Draft draft, AuditTrail audit) {
    String owner = ownerOf(who, draft.owner());
    activeOwner(owner, "create a sequence for them");
    checkDraft(draft);
    String id = newId();
    Instant now = clock.instant();
    SequenceRow[] made = {null};
    audit.apply(
        AuditTrail.Action.of("sequence.create", "sequence", id).with("stages", draft.plan().stages().size()),
        () -> made[0] = sequences.create(id, draft.name(), owner, draft.plan().zone().getId(), draft.plan().toJson(), now),
        x -> AuditTrail.outcome("created", 0));
    return made[0];
  }

  /** Replaces the definition of a draft or paused sequence. */
  public SequenceRow edit(Identity who, String id, int version, Draft draft, AuditTrail audit) {
    SequenceRow seq = mine(who, id);
    if (!seq.state().equals("draft") && !seq.state().equals("paused")) {
      throw new CommsException(ExitCode.CONTRACT, id + " is " + seq.state() + "; only a draft or a paused sequence can be edited (pause it first)");
    }
    if (draft.owner() != null && !Recipients.normalize(draft.owner()).equals(seq.owner())) {
      throw new CommsException(ExitCode.CONTRACT, "an edit cannot change the owner of " + id + " (" + seq.owner() + "); create a new sequence instead");
    }
    checkDraft(draft);
    return versioned(id, version, new SequenceStore.Change(null, draft.name(), draft.plan().zone().getId(), draft.plan().toJson(), null), "sequence.edit", audit, () -> {});
  }

  public SequenceRow pause(Identity who, String id, int version, AuditTrail audit) {
    requireState(mine(who, id), "pause", "active");
    return versioned(id, version, SequenceStore.Change.to("paused"), "sequence.pause", audit, () -> {});
  }

  public SequenceRow resume(Identity who, String id, int version, AuditTrail audit) {
    requireState(mine(who, id), "resume", "paused");
    return versioned(id, version, SequenceStore.Change.to("active"), "sequence.resume", audit, () -> {});
  }

  /** Stops the sequence for good: every live enrollment ends as stopped; nothing more is sent. */
  public SequenceRow stop(Identity who, String id, int version, AuditTrail audit) {
    requireState(mine(who, id), "stop", "draft", "active", "paused");
    Instant now = clock.instant();
    return versioned(id, version, SequenceStore.Change.to("stopped"), "sequence.stop", audit, () -> enrollments.endAll(id, "stopped", "sequence_stopped", now));
  }

  /**
   * Launches a draft: its recipient count picks the approval gate, which {@code approval} must satisfy;
   * every enrollment becomes due its first stage's delay after now. A refused gate changes nothing
   * (exit 4) and the sequence stays a draft.
   */
  public SequenceRow launch(Identity who, String id, int version, String approval, Gate extraGate, AuditTrail audit) {
    SequenceRow seq = mine(who, id);
    requireState(seq, "launch", "draft");
    activeOwner(seq.owner(), "launch " + id);
    List<String> recipients = enrollments.liveRecipients(id);
    if (recipients.isEmpty()) {
      throw new CommsException(ExitCode.CONTRACT, id + " has no recipients; add them first (comms sequence.add-recipients " + id + " --file R.csv --execute)");
    }
    extraGate.refusal(seq).ifPresent(why -> {
      throw new CommsException(ExitCode.POLICY, why);
    });
    String required = rules.approvalFor(recipients.size());
    String tier = rules.tierOf(recipients.size());
    Optional<String> refused = approvals.check(seq, rules.approvals(), recipients.size(), approval, Approvals.recipientSetHash(id, recipients));
    if (refused.isPresent()) {
      throw new ApprovalRequired(required, tier, "launch of " + id + " refused: " + refused.get() + "; the sequence stays a draft");
    }
    SequencePlan plan = SequencePlan.fromJson(seq.definitionJson());
    Instant now = clock.instant();
    return versioned(
        id, version, new SequenceStore.Change("active", null, null, null, now), "sequence.launch", audit,
        () -> enrollments.scheduleFirst(id, now.plus(plan.stage(1).delay()), now),
        Map.of("recipients", recipients.size(), "approval", required));
  }

  /** A check a caller adds to launch (the owner's reply watch, for instance); empty to go ahead. */
  @FunctionalInterface
  public interface Gate {
    Optional<String> refusal(SequenceRow seq);

    Gate NONE = seq -> Optional.empty();
  }

  /** The sequence, if {@code who} may see it: its owner, or an admin. */
  public SequenceRow mine(Identity who, String id) {
    SequenceRow seq = sequences.find(id).orElseGet(() -> byName(who, id));
    if (!who.admin() && !who.owner().equalsIgnoreCase(seq.owner())) {
      throw new Refused(Refused.Why.OTHER_OPERATOR, ExitCode.CONTRACT, id + " belongs to " + seq.owner() + "; " + who.owner() + " may not act on another operator's sequence");
    }
    return seq;
  }

  /**
   * A sequence named by its name instead of its id: the one of {@code who}'s sequences in play (not
   * stopped or completed) with that name, else the only one ever given that name.
   */
  private SequenceRow byName(Identity who, String name) {
    List<SequenceRow> all = sequences.list(who.owner()).stream().filter(s -> s.name().equals(name)).toList();
    List<SequenceRow> named = all.stream().filter(s -> !s.state().equals("stopped") && !s.state().equals("completed")).toList();
    if (named.size() == 1) {
      return named.get(0);
    }
    if (named.isEmpty() && all.size() == 1) {
      return all.get(0);
    }
    if (named.isEmpty()) {
      throw new Refused(
          Refused.Why.NOT_FOUND, ExitCode.USAGE,
          "there is no sequence " + name + " (by id, or by name among " + who.owner() + "'s sequences in play); comms sequence.list shows them");
    }
    throw new CommsException(
        ExitCode.USAGE,
        named.isEmpty()
            ? "there is no sequence " + name + " (by id, or by name among " + who.owner() + "'s sequences in play); comms sequence.list shows them"
            : named.size() + " sequences of " + who.owner() + " are named '" + name + "'; name one by its id (comms sequence.list)");
  }

  /**
   * A sequence by id, or by name when exactly one sequence in play (any owner) has it: for approvers,
   * who act on sequences they do not own.
   */
  public Optional<SequenceRow> find(String idOrName) {
    Optional<SequenceRow> byId = sequences.find(idOrName);
    if (byId.isPresent()) {
      return byId;
    }
    List<SequenceRow> named =
        sequences.list(null).stream().filter(s -> s.name().equals(idOrName) && !s.state().equals("stopped") && !s.state().equals("completed")).toList();
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  /** The sequences {@code who} may see: their own, or all for an admin. */
  public List<SequenceRow> list(Identity who) {
    return sequences.list(who.admin() ? null : who.owner());
  }

  private SequenceRow versioned(String id, int version, SequenceStore.Change change, String verb, AuditTrail audit, Runnable alongside) {
    return versioned(id, version, change, verb, audit, alongside, Map.of());
  }

  private SequenceRow versioned(
      String id, int version, SequenceStore.Change change, String verb, AuditTrail audit, Runnable alongside, Map<String, Object> payload) {
    Instant now = clock.instant();
    SequenceRow[] out = {null};
    audit.apply(
        AuditTrail.Action.of(verb, "sequence", id).with("state_version", version).with(payload),
        () -> out[0] = sequences.change(id, version, change, now, alongside),
        x -> AuditTrail.outcome(out[0].state(), 0));
    return out[0];
  }

  private void checkDraft(Draft d) {
    for (SequenceRules.ForbiddenName f : rules.forbiddenNames()) {
      if (f.pattern().matcher(d.name()).find()) {
        throw new CommsException(ExitCode.CONTRACT, "sequence name '" + d.name() + "' is refused: " + f.reason());
      }
    }
    if (d.plan().stages().size() > rules.maxStages()) {
      throw new CommsException(ExitCode.CONTRACT, "a sequence has at most " + rules.maxStages() + " stages; this one has " + d.plan().stages().size());
    }
    SequencePlan p = d.plan();
    if (p.windowStart().isBefore(rules.windowStart()) || p.windowEnd().isAfter(rules.windowEnd()) || !p.windowStart().isBefore(p.windowEnd())) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "the send window " + p.windowStart() + "–" + p.windowEnd() + " must lie within the contract's " + rules.windowStart() + "–" + rules.windowEnd()
              + " and start before it ends; a sequence may narrow the window, never widen it");
    }
  }

  private static String ownerOf(Identity who, String owner) {
    if (owner == null || Recipients.normalize(owner).equals(who.owner())) {
      return who.owner();
    }
    if (who.byAgent()) {
      // An agent acts as its one operator, admin or not: it never picks another owner.
      throw new CommsException(
          ExitCode.CONTRACT,
          who.actor() + " acts for " + who.owner() + " and may not create a sequence owned by " + Recipients.normalize(owner)
              + "; leave owner out (the sequence is " + who.owner() + "'s) or have that operator run their own agent");
    }
    if (!who.admin()) {
      throw new CommsException(
          ExitCode.CONTRACT,
          who.owner() + " may not create a sequence owned by " + Recipients.normalize(owner) + "; act as that operator (--as " + Recipients.normalize(owner)
              + ") or ask an admin");
    }
    return Recipients.normalize(owner);
  }

  /** A sequence goes out From its owner, who must be an active operator (an admin may pick the owner, not invent one). */
  private void activeOwner(String owner, String what) {
    if (!approvals.activeOperator(owner)) {
      throw new CommsException(
          ExitCode.CONTRACT,
          owner + " is not an active operator, so nobody may " + what + "; a sequence goes out From its owner. Name an active operator"
              + " (comms operators.list), or ask an admin to activate " + owner + "; nothing was changed");
    }
  }

  private static void requireState(SequenceRow seq, String verb, String... allowed) {
    if (!List.of(allowed).contains(seq.state())) {
      throw new CommsException(
          ExitCode.CONTRACT, "cannot " + verb + " " + seq.id() + ": it is " + seq.state() + " (" + verb + " needs " + String.join(" or ", allowed) + ")");
    }
  }

  static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "seq_" + HexFormat.of().formatHex(b);
  }

  /** JSON of a recipient's variables, for the enrollment row. */
  static String varsJson(Map<String, String> vars) {
    return Json.write(vars);
  }
}
