package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.delivery.GovernedSend;
import comms.core.delivery.SendOutcome;
import comms.core.delivery.TransactionalSend;
import comms.core.store.EnrollmentStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SendCaps;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One pass of the sequence worker as of the clock: finds the stage sends that are due, skips what a
 * trigger rules out, defers what falls outside the window, on a holiday or over a cap, and sends the
 * rest through the governed path. Each send is claim → send → record, keyed by (enrollment, stage), so
 * several workers at once, or a worker killed at any point and run again, send each stage once.
 */
public final class SequenceWorker {
  /** How long a claim holds before another worker may take it over (its worker presumably died). */
  public static final Duration CLAIM_FOR = Duration.ofMinutes(5);

  /** How many due stage sends a worker claims in one transaction, right before sending them. */
  static final int CLAIM_BATCH = 20;

  private final SequenceStore sequences;
  private final EnrollmentStore enrollments;
  private final StageSendStore sends;
  private final StageSender sender;
  private final Function<SequencePlan, SendingHours> hours;
  private final Engagement engagement;
  private final CapCheck caps;
  private final Clock clock;
  private final String workerId;
  private final Consumer<String> progress;
  private final ReplyWatch watch;

  /** How long a later stage waits when its owner's reply watch is not healthy, before it is tried again. */
  public static final Duration WATCH_RETRY = Duration.ofMinutes(5);

  /** Whether an operator has room in their caps now; empty when they do, else when they will. */
  @FunctionalInterface
  public interface CapCheck {
    Optional<Instant> fullUntil(String owner, Instant now);

    CapCheck NONE = (owner, now) -> Optional.empty();

    /** The operators' daily and per-minute caps from the roster, as {@link SendCaps} keeps them. */
    static CapCheck of(SendCaps caps, Function<String, int[]> limits) {
      return (owner, now) -> {
        SendCaps.Usage used = caps.usage(owner, now);
        int[] l = limits.apply(owner);
        if (used.today() >= l[0]) {
          return Optional.of(now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        if (used.thisMinute() >= l[1]) {
          return Optional.of(now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
        }
        return Optional.empty();
      };
    }
  }

  /** What the worker needs: the store's rooms, the governed sender, the window rule, signals, caps, clock and its own name. */
  public record Parts(
      SequenceStore sequences,
      EnrollmentStore enrollments,
      StageSendStore sends,
      StageSender sender,
      Function<SequencePlan, SendingHours> hours,
      Engagement engagement,
      CapCheck caps,
      Clock clock,
      String workerId,
      Consumer<String> progress,
      ReplyWatch watch) {
    public Parts(
        SequenceStore sequences, EnrollmentStore enrollments, StageSendStore sends, StageSender sender, Function<SequencePlan, SendingHours> hours,
        Engagement engagement, CapCheck caps, Clock clock, String workerId, Consumer<String> progress) {
      this(sequences, enrollments, sends, sender, hours, engagement, caps, clock, workerId, progress, ReplyWatch.NONE);
    }
  }

  public SequenceWorker(Parts p) {
    this.sequences = Objects.requireNonNull(p.sequences());
    this.enrollments = Objects.requireNonNull(p.enrollments());
    this.sends = Objects.requireNonNull(p.sends());
    this.sender = Objects.requireNonNull(p.sender());
    this.hours = Objects.requireNonNull(p.hours());
    this.engagement = Objects.requireNonNull(p.engagement());
    this.caps = Objects.requireNonNull(p.caps());
    this.clock = Objects.requireNonNull(p.clock());
    this.workerId = Objects.requireNonNull(p.workerId());
    this.progress = p.progress() == null ? s -> {} : p.progress();
    this.watch = p.watch() == null ? ReplyWatch.NONE : p.watch();
  }

  /** A stage that did not go now, why, and when it is due again. */
  public record Deferral(String sequenceId, String enrollmentId, int stage, String reason, Instant until) {}

  /** A stage that ended without a send: failed, dead-lettered, blocked by a gate, or of unknown outcome. */
  public record Problem(String sequenceId, String enrollmentId, int stage, String status, String error) {}

  /** What one pass did. {@code taken} counts due sends another worker held; {@code moved} lists the enrollments whose stage went (sent, skipped or ended). */
  public record Summary(int sent, List<Deferral> deferred, int skipped, List<Problem> problems, int taken, List<String> completed, List<String> moved) {
    public long failed() {
      return problems.stream().filter(p -> !p.status().equals("blocked")).count();
    }
  }

  /** Runs one pass over at most {@code limit} due stage sends. */
  public Summary pass(int limit) {
    Instant now = clock.instant();
    watch.beforePass(now);
    enrollments.resumeDue(now);
    Map<String, Optional<String>> watches = new HashMap<>();
    List<EnrollmentRow> due = enrollments.due(now, limit);
    Map<String, SequenceRow> rows = new HashMap<>();
    Map<String, SequencePlan> plans = new HashMap<>();
    Map<String, Instant> capped = new HashMap<>();
    Set<String> touched = new LinkedHashSet<>();
    List<Deferral> deferred = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    int sent = 0;
    int skipped = 0;
    int taken = 0;
    Set<String> mine = Set.of();
    int done = 0;
    List<String> moved = new ArrayList<>();
    for (int i = 0; i < due.size(); i++) {
      if (i % CLAIM_BATCH == 0) {
        // The next few, claimed together just before they are sent (FOR UPDATE SKIP LOCKED on PostgreSQL), so a claim lives seconds, not a whole pass.
        mine = sends.claimBatch(due.subList(i, Math.min(due.size(), i + CLAIM_BATCH)), workerId, now, now.plus(CLAIM_FOR), r -> key(r.id(), r.nextStage()));
      }
      EnrollmentRow e = due.get(i);
      done++;
      if (done % 500 == 0) {
        progress.accept(done + " of " + due.size() + " due stage sends handled");
      }
      SequenceRow seq = rows.computeIfAbsent(e.sequenceId(), id -> sequences.find(id).orElseThrow());
      SequencePlan plan = plans.computeIfAbsent(seq.id() + "@" + seq.stateVersion(), k -> SequencePlan.fromJson(seq.definitionJson()));
      touched.add(seq.id());
      int n = e.nextStage();
      SequencePlan.StagePlan stage = plan.stage(n);
      String key = key(e.id(), n);
      if (!mine.contains(e.id())) {
        taken++;
        continue;
      }
      if (!enrollments.state(e.id()).map("active"::equals).orElse(false)) {
        // A reply, bounce or stop ended (or an out-of-office paused) it after it was found due: nothing goes.
        sends.defer(e.id(), n, workerId, now, "ended", now);
        skipped++;
        moved.add(e.id());
        continue;
      }
      if (n > 1 && watches.computeIfAbsent(e.owner(), o -> watch.unhealthy(o, now)).isPresent()) {
        defer(e, n, now.plus(WATCH_RETRY), "watch", now, deferred);
        continue;
      }
      Optional<SendingHours.Closed> closed = hours.apply(plan).closed(now);
      if (closed.isPresent()) {
        defer(e, n, closed.get().opensAt(), closed.get().reason(), now, deferred);
        continue;
      }
      if (stage.medium().equals("sms") ? e.phone() == null : e.email() == null) {
        advance(e, n, plan, "skipped", null, 0, "no_" + (stage.medium().equals("sms") ? "phone" : "email"), now);
        skipped++;
        moved.add(e.id());
        continue;
      }
      if (stage.trigger().equals("no_engagement") && engagement.engaged(e)) {
        advance(e, n, plan, "skipped", null, 0, "engaged", now);
        skipped++;
        moved.add(e.id());
        continue;
      }
      Instant capFull = capped.computeIfAbsent(e.owner(), o -> caps.fullUntil(o, now).orElse(null));
      if (capFull != null) {
        defer(e, n, capFull, "cap", now, deferred);
        continue;
      }
      SendOutcome outcome;
      try {
        outcome = sender.send(seq, e, n, stage, key);
      } catch (CommsException x) {
        if (x.exitCode() != ExitCode.PROVIDER) {
          throw x;
        }
        sends.unknown(e.id(), n, workerId, x.getMessage(), now);
        problems.add(new Problem(seq.id(), e.id(), n, "unknown", x.getMessage()));
        continue;
      }
      TransactionalSend.Outcome d = outcome.detail();
      String error = d.error() == null ? "" : d.error();
      if (!(outcome instanceof SendOutcome.Deferred)) {
        moved.add(e.id());
      }
      if (outcome instanceof SendOutcome.Sent || outcome instanceof SendOutcome.Simulated || outcome instanceof SendOutcome.Duplicate) {
        advance(e, n, plan, "sent", d.deliveryId(), d.attempts(), null, now);
        sent++;
      } else if (outcome instanceof SendOutcome.Deferred q) {
        defer(e, n, q.until() == null ? now.plus(Duration.ofHours(1)) : q.until(), "quiet_hours", now, deferred);
      } else if (outcome instanceof SendOutcome.Failed && error.startsWith(GovernedSend.RATE_LIMITED + ":")) {
        // The provider's rate is booked further ahead than a send waits: try when its slot opens.
        defer(e, n, Instant.parse(error.substring(GovernedSend.RATE_LIMITED.length() + 1)), "rate", now, deferred);
      } else if (outcome instanceof SendOutcome.Failed && (error.startsWith(SendCaps.MINUTE_EXHAUSTED) || error.startsWith(SendCaps.DAILY_EXHAUSTED))) {
        // Another run used the cap between our check and the send: wait for the next minute or day.
        Instant until =
            error.startsWith(SendCaps.MINUTE_EXHAUSTED)
                ? now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)
                : now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        capped.put(e.owner(), until);
        defer(e, n, until, "cap", now, deferred);
      } else if (outcome instanceof SendOutcome.Blocked && !d.preview().allowed()) {
        List<String> gates = d.preview().failures().stream().map(g -> g.name()).toList();
        String why = "blocked:" + String.join(",", gates);
        String end = gates.contains("suppression") ? "stopped" : "opted-out".equals(d.preview().consentState()) ? "opted_out" : null;
        if (end != null) {
          sends.finish(e.id(), n, workerId, "blocked", d.deliveryId(), 0, why, now, n, null, end, why);
        } else {
          advance(e, n, plan, "blocked", d.deliveryId(), 0, why, now);
        }
        problems.add(new Problem(seq.id(), e.id(), n, "blocked", why));
      } else if (outcome instanceof SendOutcome.DeadLettered) {
        sends.finish(e.id(), n, workerId, "dead_letter", d.deliveryId(), d.attempts(), d.error(), now, n, null, "stopped", "dead_letter:stage_" + n);
        problems.add(new Problem(seq.id(), e.id(), n, "dead_letter", d.error()));
      } else if (outcome instanceof SendOutcome.Failed) {
        sends.finish(e.id(), n, workerId, "failed", d.deliveryId(), d.attempts(), d.error(), now, n, null, "stopped", "failed:stage_" + n);
        problems.add(new Problem(seq.id(), e.id(), n, "failed", d.error()));
      } else {
        // Blocked because another run is dispatching the same key right now, or (never for the worker) declined.
        defer(e, n, now.plus(Duration.ofMinutes(1)), "in_flight", now, deferred);
      }
    }
    List<String> completed = new ArrayList<>();
    for (String id : touched) {
      if (sequences.completeIfDone(id, now)) {
        completed.add(id);
      }
    }
    return new Summary(sent, deferred, skipped, problems, taken, completed, moved);
  }

  /** The idempotency key of one stage to one enrollment: the same for every attempt, whichever worker makes it. */
  public static String key(String enrollmentId, int stage) {
    return "seq:" + enrollmentId + ":" + stage;
  }

  private void defer(EnrollmentRow e, int n, Instant until, String reason, Instant now, List<Deferral> out) {
    sends.defer(e.id(), n, workerId, until, reason, now);
    out.add(new Deferral(e.sequenceId(), e.id(), n, reason, until));
  }

  /** Records the stage and moves on: the next stage due its delay after now, or completed after the last. */
  private void advance(EnrollmentRow e, int n, SequencePlan plan, String state, String deliveryId, int attempts, String error, Instant now) {
    boolean last = n >= plan.stages().size();
    Instant next = last ? null : now.plus(plan.stage(n + 1).delay());
    sends.finish(e.id(), n, workerId, state, deliveryId, attempts, error, now, n + 1, next, last ? "completed" : null, null);
  }
}
