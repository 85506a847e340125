package comms.core.sequence;

import comms.core.store.EnrollmentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The worker over time: one pass, or passes until an instant, or for as long as it runs. On the real
 * clock it waits for the next due send (at most a minute); with a replayed clock ({@link WorkerClock},
 * under COMMS_NOW) it jumps from one due send to the next, so weeks pass in seconds and nothing is
 * sent before it is due.
 */
public final class WorkerRun {
  /** How a run waits on the real clock; false when interrupted (the run then ends). */
  @FunctionalInterface
  public interface Waiting {
    boolean sleep(long millis);

    Waiting REAL = ms -> {
      if (ms <= 0) {
        return true;
      }
      try {
        Thread.sleep(ms);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  /** How long to run: once, until an instant, or until stopped ({@code follow}). */
  public record Span(Instant until, boolean follow) {
    public static final Span ONCE = new Span(null, false);
  }

  /** What all the passes did; {@code deferred} holds each stage still waiting at the end, by its latest deferral. */
  public record Totals(
      int passes, Instant from, Instant to, int sent, List<SequenceWorker.Deferral> deferred, int skipped, List<SequenceWorker.Problem> problems, int taken,
      List<String> completed) {
    public boolean failed() {
      return problems.stream().anyMatch(p -> !p.status().equals("blocked"));
    }
  }

  private final SequenceWorker worker;
  private final EnrollmentStore enrollments;
  private final Clock real;
  private final WorkerClock replay;
  private final Waiting waiting;
  private final Consumer<String> progress;

  /** @param replay the worker's clock when time is replayed (the worker must read it), else null for the real clock */
  public WorkerRun(SequenceWorker worker, EnrollmentStore enrollments, Clock real, WorkerClock replay, Waiting waiting, Consumer<String> progress) {
    this.worker = Objects.requireNonNull(worker);
    this.enrollments = Objects.requireNonNull(enrollments);
    this.real = Objects.requireNonNull(real);
    this.replay = replay;
    this.waiting = Objects.requireNonNull(waiting);
    this.progress = progress == null ? s -> {} : progress;
  }

  private Instant now() {
    return replay != null ? replay.instant() : real.instant();
  }

  public Totals run(Span span, int limit) {
    Instant from = now();
    Instant end = span.until();
    int passes = 0;
    int sent = 0;
    int skipped = 0;
    int taken = 0;
    int idle = 0;
    Map<String, SequenceWorker.Deferral> deferred = new LinkedHashMap<>();
    List<SequenceWorker.Problem> problems = new ArrayList<>();
    List<String> completed = new ArrayList<>();
    while (true) {
      SequenceWorker.Summary s = worker.pass(limit);
      passes++;
      sent += s.sent();
      skipped += s.skipped();
      taken += s.taken();
      problems.addAll(s.problems());
      completed.addAll(s.completed());
      s.moved().forEach(deferred::remove);
      s.deferred().forEach(d -> deferred.put(d.enrollmentId(), d));
      if (end == null && !span.follow()) {
        break;
      }
      progress.accept("pass " + passes + " at " + now() + ": " + s.sent() + " sent, " + s.deferred().size() + " deferred, " + s.problems().size() + " problems");
      int handled = s.sent() + s.deferred().size() + s.skipped() + s.problems().size();
      boolean more = handled >= limit;
      Instant now = now();
      Optional<Instant> next = more ? Optional.of(now) : enrollments.nextDue();
      // Due sends another worker holds: wait a moment on the real clock for it rather than spin.
      if (handled == 0 && s.taken() > 0) {
        idle++;
        if (!waiting.sleep(100)) {
          break;
        }
      } else {
        idle = 0;
      }
      if (replay != null) {
        if (next.isEmpty() || next.get().isAfter(end)) {
          replay.set(end);
          break;
        }
        Instant to = next.get().isAfter(now) ? next.get() : now;
        if (idle >= 50) {
          // Held for 5 s of real time: a worker died holding claims, which lapse after the claim time.
          to = now.plus(SequenceWorker.CLAIM_FOR);
          idle = 0;
        }
        replay.set(to);
        continue;
      }
      if (end != null && !now.isBefore(end)) {
        break;
      }
      Instant wake = next.filter(n -> n.isBefore(now.plusSeconds(60))).orElse(now.plusSeconds(60));
      if (end != null && wake.isAfter(end)) {
        wake = end;
      }
      if (!waiting.sleep(Math.max(Duration.between(now, wake).toMillis(), more ? 0 : 1000))) {
        break;
      }
    }
    return new Totals(passes, from, now(), sent, List.copyOf(deferred.values()), skipped, problems, taken, completed);
  }
}
