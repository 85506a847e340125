package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.approval.ApprovalRequired;
import comms.core.approval.Approvals;
import comms.core.contract.TemplatesCatalog;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds recipients to a sequence, checking everything at add time: a valid address or number, every
 * variable the stages use, no suppression (address, domain and parent domains, number, CC), no
 * recorded opt-out, no other active enrollment for the same operator. Answers accepted and rejected
 * rows with a machine-readable reason; the accepted ones are enrolled all together or not at all.
 */
public final class Enrollment {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final EnrollmentStore enrollments;
  private final Approvals approvals;
  private final StageBodies bodies;
  private final SequenceRules rules;
  private final Clock clock;

  public Enrollment(Store store, EnrollmentStore enrollments, Approvals approvals, TemplatesCatalog templates, SequenceRules rules, Clock clock) {
    this(store, enrollments, approvals, StageBodies.of(templates, null), rules, clock);
  }

  /** Enrollment for sequences whose stages may pin snippet versions: rows are checked against each pinned version's variables. */
  public Enrollment(Store store, EnrollmentStore enrollments, Approvals approvals, StageBodies bodies, SequenceRules rules, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.enrollments = Objects.requireNonNull(enrollments);
    this.approvals = Objects.requireNonNull(approvals);
    this.bodies = Objects.requireNonNull(bodies);
    this.rules = Objects.requireNonNull(rules);
    this.clock = Objects.requireNonNull(clock);
  }

  /** One row of a recipients file: its line, email and/or phone, an optional CC, and the variables. */
  public record RecipientInput(int line, String email, String phone, String cc, Map<String, String> vars) {
    public RecipientInput {
      // An empty field is no address: a CSV row gives "" where a JSON line leaves the key out.
      email = blank(email) ? null : email;
      phone = blank(phone) ? null : phone;
      cc = blank(cc) ? null : cc;
      vars = Map.copyOf(vars == null ? Map.of() : vars);
    }
  }

  /** An accepted row and its enrollment id. */
  public record Accepted(int line, String email, String phone, String enrollmentId) {}

  /** A refused row and why, as a machine-readable reason (suppressed:domain, invalid:email, already_active:seq_…). */
  public record Rejected(int line, String email, String phone, String reason) {}

  /** What an add did (or, as a dry run, would do). */
  public record Result(List<Accepted> accepted, List<Rejected> rejected, boolean written) {}

  /**
   * Checks every row and, when {@code execute}, enrolls the accepted ones with the audit row (counts
   * only). Adding to an active sequence passes the approval gate for the new recipient set first.
   */
  public Result add(Identity who, SequenceRow seq, List<RecipientInput> rows, String approval, boolean execute, boolean live, AuditTrail audit) {
    if (rows.size() > rules.maxRecipientsPerCall()) {
      throw new comms.core.Refused(
          comms.core.Refused.Why.TOO_MANY,
          ExitCode.USAGE,
          rows.size() + " recipients in one call is over the limit of " + rules.maxRecipientsPerCall() + "; nothing was added. Split the file into parts of at most "
              + rules.maxRecipientsPerCall() + " rows");
    }
    if (!seq.state().equals("draft") && !seq.state().equals("active") && !seq.state().equals("paused")) {
      throw new CommsException(ExitCode.CONTRACT, seq.id() + " is " + seq.state() + "; recipients can be added only to a draft, active or paused sequence");
    }
    SequencePlan plan = SequencePlan.fromJson(seq.definitionJson());
    RecipientRowCheck rowCheck = RecipientRowCheck.of(plan, bodies, live);
    List<Accepted> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    List<EnrollmentStore.NewEnrollment> fresh = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (RecipientInput r : rows) {
      String e = blank(r.email()) ? null : r.email().strip();
      String p = blank(r.phone()) ? null : r.phone().strip();
      String cc = blank(r.cc()) ? null : r.cc().strip();
      Optional<String> why = rowCheck.reason(r).or(() -> storeReason(seq, e, p, cc));
      String identity = e != null ? Recipients.normalize(e) : p == null ? null : Recipients.normalize(p);
      if (why.isEmpty() && seen.containsKey(identity)) {
        why = Optional.of("duplicate:line_" + seen.get(identity));
      }
      if (why.isPresent()) {
        rejected.add(new Rejected(r.line(), e, p, why.get()));
        continue;
      }
      seen.put(identity, r.line());
      String id = newId();
      accepted.add(new Accepted(r.line(), e == null ? null : Recipients.normalize(e), p == null ? null : Recipients.normalize(p), id));
      fresh.add(
          new EnrollmentStore.NewEnrollment(
              id, identity, e == null ? null : Recipients.normalize(e), p == null ? null : Recipients.normalize(p), cc == null ? null : Recipients.normalize(cc),
              Json.write(new LinkedHashMap<>(r.vars()))));
    }
    if (!execute || fresh.isEmpty()) {
      return new Result(accepted, rejected, false);
    }
    Instant now = clock.instant();
    Instant due = null;
    if (!seq.state().equals("draft")) {
      List<String> set = new ArrayList<>(enrollments.liveRecipients(seq.id()));
      fresh.forEach(f -> set.add(f.recipient()));
      String required = rules.approvalFor(fresh.size());
      String tier = rules.tierOf(fresh.size());
      Optional<String> refused = approvals.check(seq, rules.approvals(), fresh.size(), approval, Approvals.recipientSetHash(seq.id(), set));
      if (refused.isPresent()) {
        throw new ApprovalRequired(required, tier, "adding " + fresh.size() + " recipients to active " + seq.id() + " refused: " + refused.get() + "; nothing was added");
      }
      due = now.plus(plan.stage(1).delay());
    }
    Instant dueAt = due;
    audit.apply(
        AuditTrail.Action.of("sequence.add-recipients", "sequence", seq.id()).with("accepted", accepted.size()).with("rejected", rejected.size()),
        () -> {
          enrollments.enroll(seq.id(), seq.owner(), fresh, dueAt, now, () -> {});
          return null;
        },
        x -> AuditTrail.outcome("added", 0));
    return new Result(accepted, rejected, true);
  }

  /** Why the store refuses a row that passed {@link RecipientRowCheck}: a suppression, an opt-out, another active enrollment. */
  private Optional<String> storeReason(SequenceRow seq, String e, String p, String cc) {
    if (e != null) {
      Optional<String> s = store.suppressionMatch("email", e);
      if (s.isPresent()) {
        return Optional.of("suppressed:" + s.get().substring(0, s.get().indexOf(' ')));
      }
    }
    if (p != null) {
      Optional<String> s = store.suppressionMatch("sms", p);
      if (s.isPresent()) {
        return Optional.of("suppressed:phone");
      }
    }
    if (cc != null) {
      Optional<String> s = store.suppressionMatch("email", cc);
      if (s.isPresent()) {
        return Optional.of("suppressed_cc:" + s.get().substring(0, s.get().indexOf(' ')));
      }
    }
    if ((e != null && store.consentState("email", e).filter("opted-out"::equals).isPresent())
        || (p != null && store.consentState("sms", p).filter("opted-out"::equals).isPresent())) {
      return Optional.of("opted_out");
    }
    String identity = Recipients.normalize(e != null ? e : p);
    Optional<String> active = enrollments.activeSequenceOf(seq.owner(), identity);
    if (active.isPresent()) {
      return Optional.of("already_active:" + active.get());
    }
    return Optional.empty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "enr_" + HexFormat.of().formatHex(b);
  }
}
