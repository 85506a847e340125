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
  private final ImessageGate imessage;

  /** How long a later stage waits when its owner's reply watch is not healthy, before it is tried again. */
  public static final Duration WATCH_RETRY = Duration.ofMinutes(5);

  /** Whether an operator has room in their caps now; empty when they do, else when they will. */
  @FunctionalInterface
  public interface CapCheck {
    Optional<Instant> fullUntil(String owner, Instant now);

    /** The same, with {@code pending} sends of theirs already cleared in this batch and not yet counted. */
    default Optional<Instant> fullUntil(String owner, Instant now, int pending) {
      return fullUntil(owner, now);
    }

    CapCheck NONE = (owner, now) -> Optional.empty();

    /** The operators' daily and per-minute caps from the roster, as {@link SendCaps} keeps them. */
    static CapCheck of(SendCaps caps, Function<String, int[]> limits) {
      return new CapCheck() {
        @Override
        public Optional<Instant> fullUntil(String owner, Instant now) {
          return fullUntil(owner, now, 0);
        }

        @Override
        public Optional<Instant> fullUntil(String owner, Instant now, int pending) {
          SendCaps.Usage used = caps.usage(owner, now);
          int[] l = limits.apply(owner);
          if (used.today() + pending >= l[0]) {
            return Optional.of(now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
          }
          if (used.thisMinute() + pending >= l[1]) {
            return Optional.of(now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
          }
          return Optional.empty();
        }
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
      ReplyWatch watch,
      ImessageGate imessage) {
    public Parts(
        SequenceStore sequences, EnrollmentStore enrollments, StageSendStore sends, StageSender sender, Function<SequencePlan, SendingHours> hours,
        Engagement engagement, CapCheck caps, Clock clock, String workerId, Consumer<String> progress) {
      this(sequences, enrollments, sends, sender, hours, engagement, caps, clock, workerId, progress, ReplyWatch.NONE);
    }

    /** The parts of a worker that skips iMessage stages ({@link ImessageGate#UNAVAILABLE}). */
    public Parts(
        SequenceStore sequences, EnrollmentStore enrollments, StageSendStore sends, StageSender sender, Function<SequencePlan, SendingHours> hours,
        Engagement engagement, CapCheck caps, Clock clock, String workerId, Consumer<String> progress, ReplyWatch watch) {
      this(sequences, enrollments, sends, sender, hours, engagement, caps, clock, workerId, progress, watch, ImessageGate.UNAVAILABLE);
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
    this.imessage = p.imessage() == null ? ImessageGate.UNAVAILABLE : p.imessage();
  }

  /** Told as a pass goes through its due stage sends: {@code handled} of {@code due} so far (for a progress bar). */
  @FunctionalInterface
  public interface Tick {
    Tick NONE = (handled, due) -> {};

    void handled(int handled, int due);
  }

  private volatile Tick tick = Tick.NONE;

  /** Reports each due stage send of every later pass to {@code t} (before it is handled, and once when the pass is through). */
  public SequenceWorker ticking(Tick t) {
    this.tick = t == null ? Tick.NONE : t;
    return this;
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

  /**
   * How many due stage sends are handled together: their claims, their sends' claims and done marks,
   * and their log lines each commit once per batch, not once per send (group commit).
   */
  public static final int BATCH = 64;

  /** What one pass has done so far. */
  private final class Tally {
    final Instant now;
    final Map<String, Optional<String>> watches = new HashMap<>();
    final Map<String, SequenceRow> rows = new HashMap<>();
    final Map<String, SequencePlan> plans = new HashMap<>();
    final Map<String, Instant> capped = new HashMap<>();
    /** The enrollments of the current batch this worker claimed (FOR UPDATE SKIP LOCKED on PostgreSQL). */
    java.util.Set<String> mine = java.util.Set.of();
    /** Sends cleared in the current batch and not yet made, by owner (the caps do not count them yet). */
    final Map<String, Integer> pending = new HashMap<>();
    /** iMessages cleared in the current batch and not yet queued, by owner (their daily cap counts them). */
    final Map<String, Integer> imessagePending = new HashMap<>();
    final Set<String> touched = new LinkedHashSet<>();
    final List<Deferral> deferred = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final List<String> moved = new ArrayList<>();
    int sent;
    int skipped;
    int taken;

    Tally(Instant now) {
      this.now = now;
    }
  }

  /** A stage send cleared to go, with its plan. */
  private record Due(StageSender.Call call, SequencePlan plan) {}

  /** Runs one pass over at most {@code limit} due stage sends. */
  public Summary pass(int limit) {
    Instant now = clock.instant();
    watch.beforePass(now);
    enrollments.resumeDue(now);
    List<EnrollmentRow> due = enrollments.due(now, limit);
    Tally t = new Tally(now);
    Tick tick = this.tick;
    for (int from = 0; from < due.size(); from += BATCH) {
      tick.handled(from, due.size());
      List<EnrollmentRow> chunk = due.subList(from, Math.min(due.size(), from + BATCH));
      List<Due> go = new ArrayList<>();
      // The batch is claimed together right before it is sent, so a claim lives seconds, not a whole pass,
      // and workers on several hosts skip each other's rows instead of waiting on them.
      t.mine = sends.claimBatch(chunk, workerId, now, now.plus(CLAIM_FOR), r -> key(r.id(), r.nextStage()));
      sends.together("clear a batch of stage sends", () -> {
        for (EnrollmentRow e : chunk) {
          Due d = clear(e, t);
          if (d != null) {
            go.add(d);
          }
        }
      });
      t.pending.clear();
      t.imessagePending.clear();
      if (!go.isEmpty()) {
        List<GovernedSend.Settled> settled = sender.sendAll(go.stream().map(Due::call).toList());
        RuntimeException[] stop = new RuntimeException[1];
        sends.together("record a batch of stage sends", () -> {
          // Every send of the batch is recorded, even past one that must end the pass: they were made.
          for (int i = 0; i < go.size(); i++) {
            RuntimeException x = settle(go.get(i), settled.get(i), t);
            stop[0] = stop[0] != null ? stop[0] : x;
          }
        });
        if (stop[0] != null) {
          throw stop[0];
        }
      }
    }
    tick.handled(due.size(), due.size());
    List<String> completed = new ArrayList<>();
    for (String id : t.touched) {
      if (sequences.completeIfDone(id, now)) {
        completed.add(id);
      }
    }
    return new Summary(t.sent, t.deferred, t.skipped, t.problems, t.taken, completed, t.moved);
  }

  /** Claims one due stage and rules on everything short of the send; the stage send to make, or null. */
  private Due clear(EnrollmentRow e, Tally t) {
    Instant now = t.now;
    SequenceRow seq = t.rows.computeIfAbsent(e.sequenceId(), id -> sequences.find(id).orElseThrow());
    SequencePlan plan = t.plans.computeIfAbsent(seq.id() + "@" + seq.stateVersion(), k -> SequencePlan.fromJson(seq.definitionJson()));
    t.touched.add(seq.id());
    int n = e.nextStage();
    SequencePlan.StagePlan stage = plan.stage(n);
    String key = key(e.id(), n);
    if (!t.mine.contains(e.id())) {
      t.taken++;
      return null;
    }
    if (!enrollments.state(e.id()).map("active"::equals).orElse(false)) {
      // A reply, bounce or stop ended (or an out-of-office paused) it after it was found due: nothing goes.
      sends.defer(e.id(), n, workerId, now, "ended", now);
      t.skipped++;
      t.moved.add(e.id());
      return null;
    }
    if (n > 1 && t.watches.computeIfAbsent(e.owner(), o -> watch.unhealthy(o, now)).isPresent()) {
      defer(e, n, now.plus(WATCH_RETRY), "watch", now, t.deferred);
      return null;
    }
    Optional<SendingHours.Closed> closed = hours.apply(plan).closed(now);
    if (closed.isPresent()) {
      defer(e, n, closed.get().opensAt(), closed.get().reason(), now, t.deferred);
      return null;
    }
    if (stage.medium().equals("sms") ? e.phone() == null : e.email() == null) {
      advance(e, n, plan, "skipped", null, 0, "no_" + (stage.medium().equals("sms") ? "phone" : "email"), now);
      t.skipped++;
      t.moved.add(e.id());
      return null;
    }
    if (stage.medium().equals("imessage")) {
      // Allowlist, prerequisites, operator-local hours and the daily cap: a recipient who fails one never reaches the queue.
      Optional<ImessageGate.Hold> held = imessage.hold(seq, e, now, t.imessagePending.getOrDefault(e.owner(), 0));
      if (held.isPresent() && held.get().until() != null) {
        defer(e, n, held.get().until(), held.get().reason(), now, t.deferred);
        return null;
      }
      if (held.isPresent()) {
        advance(e, n, plan, "skipped", null, 0, held.get().reason(), now);
        t.skipped++;
        t.moved.add(e.id());
        return null;
      }
    }
    if (stage.trigger().equals("no_engagement") && engagement.engaged(e)) {
      advance(e, n, plan, "skipped", null, 0, "engaged", now);
      t.skipped++;
      t.moved.add(e.id());
      return null;
    }
    int pending = t.pending.getOrDefault(e.owner(), 0);
    Instant capFull = t.capped.computeIfAbsent(e.owner(), o -> caps.fullUntil(o, now, pending).orElse(null));
    if (capFull != null) {
      defer(e, n, capFull, "cap", now, t.deferred);
      return null;
    }
    t.pending.merge(e.owner(), 1, Integer::sum);
    if (stage.medium().equals("imessage")) {
      t.imessagePending.merge(e.owner(), 1, Integer::sum);
    }
    return new Due(new StageSender.Call(seq, e, n, stage, key), plan);
  }

  /** Records how one stage send ended; returns the exception that must end the pass, if any. */
  private RuntimeException settle(Due due, GovernedSend.Settled settled, Tally t) {
    Instant now = t.now;
    EnrollmentRow e = due.call().enrollment();
    SequenceRow seq = due.call().sequence();
    SequencePlan plan = due.plan();
    int n = due.call().stage();
    if (settled == null) {
      // Not tried: an earlier send of this owner in the batch found their cap used up.
      Instant until = t.capped.get(e.owner());
      defer(e, n, until != null ? until : now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES), "cap", now, t.deferred);
      return null;
    }
    if (settled.error() != null) {
      CommsException x = settled.error();
      if (x.exitCode() != ExitCode.PROVIDER) {
        return x;
      }
      sends.unknown(e.id(), n, workerId, x.getMessage(), now);
      t.problems.add(new Problem(seq.id(), e.id(), n, "unknown", x.getMessage()));
      progress.accept("stage " + n + " of " + e.id() + " (" + seq.id() + "): outcome unknown, reported and paused, not sent again: " + x.getMessage());
      return null;
    }
    SendOutcome outcome = settled.outcome();
    TransactionalSend.Outcome d = outcome.detail();
    String error = d.error() == null ? "" : d.error();
    if (!(outcome instanceof SendOutcome.Deferred)) {
      t.moved.add(e.id());
    }
    if (outcome instanceof SendOutcome.Sent || outcome instanceof SendOutcome.Simulated || outcome instanceof SendOutcome.Duplicate) {
      advance(e, n, plan, "sent", d.deliveryId(), d.attempts(), null, now);
      t.sent++;
    } else if (outcome instanceof SendOutcome.Deferred q) {
      defer(e, n, q.until() == null ? now.plus(Duration.ofHours(1)) : q.until(), "quiet_hours", now, t.deferred);
    } else if (outcome instanceof SendOutcome.Failed && error.startsWith(GovernedSend.RATE_LIMITED + ":")) {
      // The provider's rate is booked further ahead than a send waits: try when its slot opens.
      defer(e, n, Instant.parse(error.substring(GovernedSend.RATE_LIMITED.length() + 1)), "rate", now, t.deferred);
    } else if (outcome instanceof SendOutcome.Failed && (error.startsWith(SendCaps.MINUTE_EXHAUSTED) || error.startsWith(SendCaps.DAILY_EXHAUSTED))) {
      // Another run used the cap between our check and the send: wait for the next minute or day.
      Instant until =
          error.startsWith(SendCaps.MINUTE_EXHAUSTED)
              ? now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)
              : now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      t.capped.put(e.owner(), until);
      defer(e, n, until, "cap", now, t.deferred);
    } else if (outcome instanceof SendOutcome.Blocked && !d.preview().allowed()) {
      List<String> gates = d.preview().failures().stream().map(g -> g.name()).toList();
      String why = "blocked:" + String.join(",", gates);
      String end = gates.contains("suppression") ? "stopped" : "opted-out".equals(d.preview().consentState()) ? "opted_out" : null;
      if (end != null) {
        sends.finish(e.id(), n, workerId, "blocked", d.deliveryId(), 0, why, now, n, null, end, why);
      } else {
        advance(e, n, plan, "blocked", d.deliveryId(), 0, why, now);
      }
      t.problems.add(new Problem(seq.id(), e.id(), n, "blocked", why));
    } else if (outcome instanceof SendOutcome.DeadLettered) {
      sends.finish(e.id(), n, workerId, "dead_letter", d.deliveryId(), d.attempts(), d.error(), now, n, null, "stopped", "dead_letter:stage_" + n);
      t.problems.add(new Problem(seq.id(), e.id(), n, "dead_letter", d.error()));
      progress.accept("stage " + n + " of " + e.id() + " (" + seq.id() + "): dead-lettered after " + d.attempts() + " attempts: " + d.error());
    } else if (outcome instanceof SendOutcome.Failed) {
      sends.finish(e.id(), n, workerId, "failed", d.deliveryId(), d.attempts(), d.error(), now, n, null, "stopped", "failed:stage_" + n);
      t.problems.add(new Problem(seq.id(), e.id(), n, "failed", d.error()));
    } else {
      // Blocked because another run is dispatching the same key right now, or (never for the worker) declined.
      defer(e, n, now.plus(Duration.ofMinutes(1)), "in_flight", now, t.deferred);
    }
    return null;
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
