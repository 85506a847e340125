package comms.cli.commands.sequence;

import comms.cli.commands.send.Imessages;
import comms.cli.commands.replies.GmailRenewals;
import comms.cli.commands.Governance;
import comms.cli.commands.replies.Replies;
import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.delivery.GovernedSend;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.engagement.StoredEngagement;
import comms.core.sequence.GovernedStageSender;
import comms.core.sequence.SequenceWorker;
import comms.core.sequence.WorkerClock;
import comms.core.sequence.WorkerRun;
import comms.core.store.EngagementStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.Roster;
import comms.core.store.SendCaps;
import comms.core.store.SequenceStore;
import comms.core.store.StageSendStore;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms sequence.run`: the worker, one pass or many, sending due stage sends through the governed path. */
@Command(
    name = "sequence.run",
    description = {
      "Run the sequence worker: send the due stages.",
      "Finds the stage sends due as of the clock, skips what a trigger rules out, defers what falls outside the window, on a holiday or over a cap, and sends the rest through the same governed path as send.execute (gates, caps, journal, audit). Several workers at once send each stage to each recipient once.",
      "A later stage goes only while its owner's reply watch is healthy (else it waits, deferred: watch); in simulation each pass first syncs the simulated inbox, so replies put there with mail.simulate-inbound stop the sequence.",
      "--once (the default) makes one pass. --until INSTANT|+DURATION keeps passing until then: on the real clock it waits for each next due send; with COMMS_NOW set the clock jumps from one due time to the next, so weeks of a sequence run in seconds. --follow keeps going on the real clock until stopped.",
      "Progress goes to stderr, never stdout: at a terminal a bar redrawn in place (through a pass of 200 or more due sends, and through the span of an --until run), otherwise plain lines; then a summary line (sent, deferred by reason, skipped, failed, blocked). COMMS_PROGRESS=bar|lines|off chooses."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.run",
      "  comms sequence.run --until +21d --output json"
    })
public final class SequenceRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--once", description = "One pass (the default).")
  boolean once;

  @Option(names = "--follow", description = "Keep passing on the real clock until stopped (Ctrl-C or SIGTERM finishes the current send first).")
  boolean follow;

  @Option(names = "--until", paramLabel = "INSTANT|+DURATION", description = "Keep passing until this instant (2026-12-28T00:00:00Z) or this long after now (+21d, +4h).")
  String until;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most N stage sends per pass (default 1000).")
  int limit;

  /** What the run did, over all its passes. */
  record RunView(int passes, Instant from, Instant to, int sent, List<SequenceWorker.Deferral> deferred, int skipped, List<SequenceWorker.Problem> problems, int taken, List<String> completed)
      implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passes", passes);
      m.put("from", from.toString());
      m.put("to", to.toString());
      m.put("sent", sent);
      m.put("deferred", deferred.stream().map(d -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("sequence_id", d.sequenceId());
        x.put("enrollment_id", d.enrollmentId());
        x.put("stage", d.stage());
        x.put("reason", d.reason());
        x.put("until", d.until().toString());
        return x;
      }).toList());
      m.put("skipped", skipped);
      m.put("failed", problems.stream().filter(p -> !p.status().equals("blocked")).count());
      m.put("problems", problems.stream().map(p -> SequenceViews.problem(p.sequenceId(), p.enrollmentId(), p.stage(), p.status(), p.error())).toList());
      m.put("taken_by_other_workers", taken);
      m.put("completed_sequences", completed);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      Map<String, Integer> byReason = new TreeMap<>();
      deferred.forEach(d -> byReason.merge(d.reason(), 1, Integer::sum));
      p.heading("sequence worker: " + passes + " pass" + (passes == 1 ? "" : "es") + " from " + from + " to " + to);
      p.fields(
          "sent", String.valueOf(sent),
          "deferred", deferred.size() + (byReason.isEmpty() ? "" : " " + byReason),
          "skipped", String.valueOf(skipped),
          "failed", String.valueOf(problems.stream().filter(x -> !x.status().equals("blocked")).count()),
          "blocked", String.valueOf(problems.stream().filter(x -> x.status().equals("blocked")).count()),
          "held by other workers", String.valueOf(taken),
          "completed sequences", completed.isEmpty() ? "none" : String.join(", ", completed));
      if (!problems.isEmpty()) {
        p.blank();
        p.table(List.of("sequence", "enrollment", "stage", "status", "error"),
            problems.stream().map(x -> List.of(x.sequenceId(), x.enrollmentId(), String.valueOf(x.stage()), p.status(x.status()), x.error() == null ? "-" : x.error())).toList());
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    if ((once ? 1 : 0) + (follow ? 1 : 0) + (until != null ? 1 : 0) > 1) {
      throw new CommsException(ExitCode.USAGE, "--once, --follow and --until are alternatives; give one of them");
    }
    if (limit < 1) {
      throw new CommsException(ExitCode.USAGE, "--limit " + limit + " must be at least 1");
    }
    Clock base = app.clock();
    boolean simulatedTime = app.env().get("COMMS_NOW") != null && !app.env().get("COMMS_NOW").isBlank();
    if (follow && simulatedTime) {
      throw new CommsException(ExitCode.USAGE, "--follow waits on the real clock; with COMMS_NOW set use --until INSTANT|+DURATION to replay time");
    }
    Instant end = until == null ? null : until(until, base.instant());
    WorkerClock replay = simulatedTime ? new WorkerClock(base.instant()) : null;
    String workerId = "worker-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + app.runKey();
    WorkerProgress.Mode mode = WorkerProgress.mode(app);
    WorkerProgress progress =
        new WorkerProgress(app.err(), mode, mode == WorkerProgress.Mode.bar && app.color(), replay != null ? replay : base, end);
    SequenceWorker worker = worker(app, replay != null ? replay : base, workerId, progress::line).ticking(progress.ticks());
    WorkerRun.Totals t =
        new WorkerRun(worker, EnrollmentStore.of(app.store()), base, replay, WorkerRun.Waiting.REAL, progress::pass)
            .run(new WorkerRun.Span(end, follow), limit);
    progress.summary(t);
    app.mode(app.bindings().delivery().live() ? "live" : "simulation");
    app.render(new RunView(t.passes(), t.from(), t.to(), t.sent(), t.deferred(), t.skipped(), t.problems(), t.taken(), t.completed()));
    return t.failed() ? ExitCode.PROVIDER.code() : 0;
  }

  /** The worker for this run: each stage goes out as its sequence's owner, acted by the worker, on {@code clock}. */
  static SequenceWorker worker(App app, Clock clock, String workerId) {
    return worker(app, clock, workerId, line -> {
      app.err().println("sequence.run: " + line);
      app.err().flush();
    });
  }

  /** The same, telling {@code notes} what it notices along the way. */
  static SequenceWorker worker(App app, Clock clock, String workerId, java.util.function.Consumer<String> notes) {
    Roster roster = app.roster();
    Map<String, GovernedSend> paths = new HashMap<>();
    String osUser = System.getProperty("user.name");
    java.util.function.Function<String, AuditTrail> audits = o -> {
      Roster.Operator op = roster.find(o).filter(Roster.Operator::active).orElseThrow(() -> new CommsException(
          ExitCode.CONTRACT, "sequence owner " + o + " is not an active operator; nothing of theirs is sent (comms operators.list)"));
      return new AuditTrail(app.store(), roster, new Identity(op, "agent:sequence-worker", osUser), app.runKey(), clock);
    };
    GovernedStageSender sender =
        new GovernedStageSender(
            owner -> paths.computeIfAbsent(owner, o -> Governance.send(app, audits.apply(o), clock)),
            app.store()::consentState, clock, app.bindings().delivery().live(), app.runKey(), Sequences.bodies(app));
    comms.cli.commands.send.Imessages.attach(app, sender, clock, audits);
    return new SequenceWorker(
        new SequenceWorker.Parts(
            SequenceStore.of(app.store()), EnrollmentStore.of(app.store()), StageSendStore.of(app.store()), sender,
            hoursOf(app), new StoredEngagement(EngagementStore.of(app.store())),
            SequenceWorker.CapCheck.of(SendCaps.of(app.store(), roster), o -> roster.find(o).map(op -> new int[] {op.dailyCap(), op.perMinuteCap()}).orElse(new int[] {0, 0})),
            clock, workerId, notes, watch(app, clock), Imessages.gate(app)));
  }

  /**
   * The owners' reply watches as the worker sees them on {@code clock}. In simulation each pass first
   * syncs the simulated inbox (it is local, so that sync is the watch); live, the watch is kept by
   * replies.sync --follow, and each pass only checks whether a stale watch needs its alert.
   */
  static comms.core.reply.Watches watch(App app, Clock clock) {
    comms.core.store.ReplyStore store = comms.core.store.ReplyStore.of(app.store());
    java.time.Duration maxAge = app.bindings().sequences().watchMaxAge();
    comms.core.reply.Watches plain = Replies.gmail(app, new comms.core.reply.Watches(store, maxAge));
    comms.core.reply.WatchAlerts alerts = Replies.alerts(app, plain);
    boolean simulated = !Replies.live(app);
    return Replies.gmail(app, new comms.core.reply.Watches(store, maxAge, () -> {
      if (simulated) {
        comms.core.reply.ReplySync sync = Replies.sync(app, Replies.simulatedInboxes(app, clock), clock, Sequences.audit(app, clock));
        for (Roster.Operator op : app.roster().list()) {
          if (op.active()) {
            sync.sync(op.email(), true);
          }
        }
      } else {
        GmailRenewals.renewDue(app, clock);
      }
      alerts.check(clock.instant());
    }));
  }

  /** Each sequence's sending hours, built once per plan in a run. */
  private static java.util.function.Function<comms.core.sequence.SequencePlan, comms.core.sequence.SendingHours> hoursOf(App app) {
    Map<comms.core.sequence.SequencePlan, comms.core.sequence.SendingHours> built = new HashMap<>();
    return plan -> built.computeIfAbsent(plan, p -> Sequences.hours(app, p));
  }

  static Instant until(String text, Instant now) {
    String t = text.strip();
    if (t.startsWith("+")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\+(\\d{1,4})([dhm])").matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return now.plus(switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        });
      }
    } else {
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        // falls through to the refusal
      }
    }
    throw new CommsException(ExitCode.USAGE, "--until '" + text + "' must be an ISO-8601 instant (2026-12-28T00:00:00Z) or +N followed by d, h or m (+21d)");
  }
}
