package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.sequence.Sequences;
import comms.core.approval.Approvals;
import comms.core.operator.Identity;
import comms.core.sequence.SequenceRules;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import comms.core.store.StageSendStore.StageSendRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a viewer may see of the system now: operators with today's sends and caps, sequences with
 * counts per state, the next due sends, recent failures and dead letters, and pending approvals. An
 * admin sees every operator; an operator only their own row and sequences. Both GET /api/status and the
 * dashboard read it.
 */
record StatusReport(
    Identity viewer, Instant at, List<OperatorLine> operators, List<SequenceLine> sequences, List<DueLine> nextDue, List<ProblemLine> problems,
    List<ApprovalLine> approvals,
    comms.core.imessage.DaemonDesk.Health imessage) {
  static final List<String> PROBLEMS = List.of("failed", "dead_letter", "blocked", "unknown");
  static final int LIMIT = 20;

  record OperatorLine(String email, String name, String role, boolean active, int sentToday, int dailyCap, int sentThisMinute, int perMinuteCap) {}

  record SequenceLine(String id, String name, String owner, String state, int stateVersion, Map<String, Integer> counts, int live, String gate) {}

  record DueLine(String sequenceId, String enrollmentId, String recipient, int stage, Instant dueAt) {}

  record ProblemLine(String sequenceId, String enrollmentId, int stage, String status, String error, Instant at) {}

  record ApprovalLine(String sequenceId, String id, String kind, String state, Instant expiresAt) {}

  static StatusReport of(App app, Identity who) {
    Instant now = app.clock().instant();
    Roster roster = app.roster();
    SendCaps caps = SendCaps.of(app.store(), roster);
    List<OperatorLine> ops = new ArrayList<>();
    for (Roster.Operator o : roster.list()) {
      if (who.admin() || o.email().equals(who.owner())) {
        SendCaps.Usage u = caps.usage(o.email(), now);
        ops.add(new OperatorLine(o.email(), o.displayName(), o.role(), o.active(), u.today(), o.dailyCap(), u.thisMinute(), o.perMinuteCap()));
      }
    }
    SequenceRules rules = Sequences.rules(app);
    SequenceStore seqs = SequenceStore.of(app.store());
    EnrollmentStore enrollments = EnrollmentStore.of(app.store());
    StageSendStore sends = StageSendStore.of(app.store());
    ApprovalStore approvalStore = ApprovalStore.of(app.store());
    List<SequenceLine> lines = new ArrayList<>();
    List<DueLine> due = new ArrayList<>();
    List<ProblemLine> problems = new ArrayList<>();
    List<ApprovalLine> approvals = new ArrayList<>();
    for (SequenceRow s : Sequences.service(app).list(who)) {
      int live = enrollments.liveRecipients(s.id()).size();
      String gate = s.state().equals("draft") && live > 0 ? rules.approvalFor(live) : null;
      lines.add(new SequenceLine(s.id(), s.name(), s.owner(), s.state(), s.stateVersion(), seqs.counts(s.id()), live, gate));
      if (s.state().equals("active")) {
        for (EnrollmentRow e : enrollments.inSequence(s.id())) {
          if (e.state().equals("active") && e.nextDueAt() != null) {
            due.add(new DueLine(s.id(), e.id(), e.email() != null ? e.email() : e.phone(), e.nextStage(), e.nextDueAt()));
          }
        }
      }
      for (StageSendRow r : sends.inSequence(s.id())) {
        if (PROBLEMS.contains(r.state())) {
          problems.add(new ProblemLine(s.id(), r.enrollmentId(), r.stage(), r.state(), r.errorMessage(), r.finishedAt() != null ? r.finishedAt() : r.dueAt()));
        }
      }
      if (!s.state().equals("stopped") && !s.state().equals("completed")) {
        for (ApprovalStore.ApprovalRow a : approvalStore.forSequence(s.id())) {
          if (a.expiresAt().isAfter(now) && a.usedAt() == null) {
            approvals.add(new ApprovalLine(s.id(), a.id(), a.kind(), state(a), a.expiresAt()));
          }
        }
      }
    }
    due.sort(Comparator.comparing(DueLine::dueAt));
    problems.sort(Comparator.comparing(ProblemLine::at, Comparator.nullsLast(Comparator.reverseOrder())));
    approvals.sort(Comparator.comparing(ApprovalLine::expiresAt));
    return new StatusReport(who, now, ops, lines, head(due), head(problems), approvals, comms.cli.commands.Imessages.health(app));
  }

  private static String state(ApprovalStore.ApprovalRow a) {
    switch (a.kind()) {
      case "multipov":
        return a.reviewers().size() >= Approvals.REVIEWERS
            ? "review complete (" + a.reviewers().size() + " of " + Approvals.REVIEWERS + "), not yet cited"
            : "review open: " + a.reviewers().size() + " of " + Approvals.REVIEWERS + " confirmations";
      case "token":
        return "token issued by " + a.approver() + ", unused";
      default:
        return "confirmed by " + a.approver() + ", not yet cited";
    }
  }

  private static <T> List<T> head(List<T> l) {
    return l.size() > LIMIT ? List.copyOf(l.subList(0, LIMIT)) : List.copyOf(l);
  }

  /** The JSON of GET /api/status. */
  Map<String, Object> tree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("as_of", ReadRoutes.at(at));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("operator", viewer.owner());
    v.put("role", viewer.operator().role());
    v.put("actor", viewer.actor());
    m.put("viewer", v);
    m.put("imessage_daemon", comms.cli.commands.ImessageHealthView.tree(imessage));
    m.put("operators", operators.stream().map(o -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("email", o.email());
      x.put("display_name", o.name());
      x.put("role", o.role());
      x.put("active", o.active());
      x.put("sent_today", o.sentToday());
      x.put("daily_cap", o.dailyCap());
      x.put("sent_this_minute", o.sentThisMinute());
      x.put("per_minute_cap", o.perMinuteCap());
      return x;
    }).toList());
    m.put("sequences", sequences.stream().map(s -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", s.id());
      x.put("name", s.name());
      x.put("owner", s.owner());
      x.put("state", s.state());
      x.put("state_version", s.stateVersion());
      x.put("counts", s.counts());
      x.put("launch_gate", s.gate());
      return x;
    }).toList());
    m.put("next_due", nextDue.stream().map(d -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("sequence_id", d.sequenceId());
      x.put("enrollment_id", d.enrollmentId());
      x.put("recipient", d.recipient());
      x.put("stage", d.stage());
      x.put("due_at", ReadRoutes.at(d.dueAt()));
      return x;
    }).toList());
    m.put("problems", problems.stream().map(p -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("sequence_id", p.sequenceId());
      x.put("enrollment_id", p.enrollmentId());
      x.put("stage", p.stage());
      x.put("status", p.status());
      x.put("error_message", p.error());
      x.put("at", ReadRoutes.at(p.at()));
      return x;
    }).toList());
    m.put("pending_approvals", approvals.stream().map(a -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("sequence_id", a.sequenceId());
      x.put("approval_id", a.id());
      x.put("kind", a.kind());
      x.put("state", a.state());
      x.put("expires_at", ReadRoutes.at(a.expiresAt()));
      return x;
    }).toList());
    return m;
  }
}
