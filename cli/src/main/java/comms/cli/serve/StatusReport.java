package comms.cli.serve;

import comms.cli.App;
import comms.cli.commands.sequence.SequenceViews;
import comms.cli.commands.sequence.Sequences;
import comms.core.approval.Approvals;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.reply.Watches;
import comms.core.operator.Identity;
import comms.core.sequence.SequenceRules;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.ReplyStore;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import comms.core.store.StageSendStore.StageSendRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a viewer may see of the system now: operators with today's sends and caps, sequences with
 * counts per state, the next due sends, recent failures and dead letters (stage sends, and
 * transactional sends from the delivery log), reply watches and their health, and pending approvals.
 * An admin sees every operator; an operator only their own rows. Both GET /api/status and the
 * dashboard read it; the JSON shapes of sequences, due sends and problems are the commands' own
 * ({@link SequenceViews}).
 */
record StatusReport(
    Identity viewer, Instant at, List<OperatorLine> operators, List<SequenceLine> sequences, List<DueLine> nextDue, List<ProblemLine> problems,
    List<WatchLine> watches, List<ApprovalLine> approvals,
    comms.core.imessage.DaemonDesk.Health imessage) {
  static final List<String> PROBLEMS = List.of("failed", "dead_letter", "blocked", "unknown");
  /** The delivery-log statuses of a transactional send that went wrong. */
  static final List<String> DELIVERY_PROBLEMS = List.of("dead_letter", "failed");
  /** How far back the delivery log is read for failed and dead-lettered transactional sends. */
  static final Duration RECENT = Duration.ofDays(7);
  static final int LIMIT = 20;

  record OperatorLine(String email, String name, String role, boolean active, int sentToday, int dailyCap, int sentThisMinute, int perMinuteCap) {}

  record SequenceLine(SequenceRow row, Map<String, Integer> counts, int live, String gate) {}

  record DueLine(String sequenceId, EnrollmentRow enrollment) {
    String recipient() {
      return enrollment.email() != null ? enrollment.email() : enrollment.phone();
    }
  }

  /** A stage send (sequenceId set) or a transactional send (deliveryId and channel set) that failed, was dead-lettered or blocked. */
  record ProblemLine(String sequenceId, String enrollmentId, Integer stage, String status, String error, Instant at, String deliveryId, String channel) {}

  /** An operator's reply watch: where it reads, whether it is healthy now, its last success and error, and whether an alert went out. */
  record WatchLine(String owner, String source, boolean healthy, Instant lastSuccessAt, String lastError, Instant unhealthySince, Instant alertedAt) {}

  record ApprovalLine(String sequenceId, String id, String kind, String state, Instant expiresAt) {}

  static StatusReport of(App app, Identity who) {
    Instant now = app.clock().instant();
    Roster roster = app.roster();
    SendCaps caps = SendCaps.of(app.store(), roster);
    // How many confirmations a review needs is the contract's (its multipov tier), not a second copy here.
    int reviewers = comms.core.policy.SequencePolicy.from(app.bindings().sequences()).approvals().multipovReviewers();
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
      lines.add(new SequenceLine(s, seqs.counts(s.id()), live, gate));
      if (s.state().equals("active")) {
        for (EnrollmentRow e : enrollments.inSequence(s.id())) {
          if (e.state().equals("active") && e.nextDueAt() != null) {
            due.add(new DueLine(s.id(), e));
          }
        }
      }
      for (StageSendRow r : sends.inSequence(s.id())) {
        if (PROBLEMS.contains(r.state())) {
          problems.add(new ProblemLine(s.id(), r.enrollmentId(), r.stage(), r.state(), r.errorMessage(), r.finishedAt() != null ? r.finishedAt() : r.dueAt(), null, null));
        }
      }
      if (!s.state().equals("stopped") && !s.state().equals("completed")) {
        for (ApprovalStore.ApprovalRow a : approvalStore.forSequence(s.id())) {
          if (a.expiresAt().isAfter(now) && a.usedAt() == null) {
            approvals.add(new ApprovalLine(s.id(), a.id(), a.kind(), state(a, reviewers), a.expiresAt()));
          }
        }
      }
    }
    problems.addAll(transactional(app, who, now));
    due.sort(Comparator.comparing(d -> d.enrollment().nextDueAt()));
    problems.sort(Comparator.comparing(ProblemLine::at, Comparator.nullsLast(Comparator.reverseOrder())));
    approvals.sort(Comparator.comparing(ApprovalLine::expiresAt));
    Watches watches = comms.cli.commands.replies.Replies.watches(app);
    ReplyStore replies = ReplyStore.of(app.store());
    List<WatchLine> ws = new ArrayList<>();
    for (OperatorLine o : ops) {
      if (o.active()) {
        Watches.Health h = watches.health(o.email(), now);
        Optional<ReplyStore.Watch> w = replies.watch(o.email());
        ws.add(new WatchLine(o.email(), w.map(ReplyStore.Watch::source).orElse(null), h.healthy(), h.lastSuccessAt(), h.lastError(), h.unhealthySince(),
            w.map(ReplyStore.Watch::alertedAt).orElse(null)));
      }
    }
    return new StatusReport(who, now, ops, lines, head(due), head(problems), ws, approvals, comms.cli.commands.send.Imessages.health(app));
  }

  /** The newest failed and dead-lettered transactional sends of the delivery log (the viewer's own, or everyone's for an admin), within {@link #RECENT}. */
  private static List<ProblemLine> transactional(App app, Identity who, Instant now) {
    List<ProblemLine> out = new ArrayList<>();
    for (String status : DELIVERY_PROBLEMS) {
      DeliveryJournal.Filter f = DeliveryJournal.Filter.ALL.status(status).since(now.minus(RECENT)).operator(who.admin() ? null : who.owner());
      for (DeliveryRecord r : app.journal().newest(LIMIT, f).entries()) {
        if (r.sequenceId() == null) {
          out.add(new ProblemLine(null, null, null, r.status(), r.error(), r.time(), r.deliveryId(), r.channel()));
        }
      }
    }
    return out;
  }

  private static String state(ApprovalStore.ApprovalRow a, int reviewers) {
    switch (a.kind()) {
      case "multipov":
        return a.reviewers().size() >= reviewers
            ? "review complete (" + a.reviewers().size() + " of " + reviewers + "), not yet cited"
            : "review open: " + a.reviewers().size() + " of " + reviewers + " confirmations";
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
    m.put("imessage_daemon", comms.cli.commands.send.ImessageHealthView.tree(imessage));
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
      Map<String, Object> x = SequenceViews.line(s.row(), s.counts());
      x.put("launch_gate", s.gate());
      return x;
    }).toList());
    m.put("next_due", nextDue.stream().map(d -> SequenceViews.due(d.sequenceId(), d.enrollment())).toList());
    m.put("problems", problems.stream().map(p -> {
      Map<String, Object> x = SequenceViews.problem(p.sequenceId(), p.enrollmentId(), p.stage(), p.status(), p.error());
      if (p.deliveryId() != null) {
        x.put("delivery_id", p.deliveryId());
        x.put("channel", p.channel());
      }
      x.put("at", ReadRoutes.at(p.at()));
      return x;
    }).toList());
    m.put("watches", watches.stream().map(w -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("owner", w.owner());
      x.put("source", w.source());
      x.put("healthy", w.healthy());
      x.put("last_success_at", ReadRoutes.at(w.lastSuccessAt()));
      x.put("last_error", w.lastError());
      x.put("unhealthy_since", ReadRoutes.at(w.unhealthySince()));
      x.put("alerted_at", ReadRoutes.at(w.alertedAt()));
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
