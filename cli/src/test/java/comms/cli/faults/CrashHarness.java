package comms.cli.faults;

import comms.cli.CliRun;
import comms.core.delivery.TransactionalSend;
import comms.core.json.Json;
import comms.core.outbox.AtomicFile;
import comms.core.outbox.DeliveryJournal;
import comms.core.store.IdempotencyStore;
import comms.core.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 7, promise 1: kill send.execute processes and check what the next run finds. Each lane (one
 * outbox, one mode) is killed once at every named fault point (COMMS_FAULT makes the process halt
 * there, exit 137, like SIGKILL) and, in live modes, once while the provider holds the accepted
 * request unanswered; then workers running many executes are SIGKILLed at random moments. After
 * every kill the harness checks the files as the next run finds them, runs that next run
 * (re-executing the send that was in flight, then one fresh send), and at the end counts, per key,
 * the success lines in the log and the messages the loopback provider delivered per recipient.
 */
final class CrashHarness {
  /** Killed while the provider has accepted the request and not yet answered (live modes only). */
  static final String PROVIDER_HOLDING = "provider.holding";

  /** Every named fault point on the send path, in the order a send reaches them. */
  static final List<String> FAULT_POINTS =
      List.of(
          TransactionalSend.FAULT_AFTER_CLAIM,
          PROVIDER_HOLDING,
          TransactionalSend.FAULT_AFTER_DISPATCH,
          DeliveryJournal.FAULT_LOCKED,
          DeliveryJournal.FAULT_HALF_WRITTEN,
          DeliveryJournal.FAULT_BEFORE_FORCE,
          AtomicFile.FAULT_BEFORE_RENAME,
          TransactionalSend.FAULT_AFTER_LOG,
          TransactionalSend.FAULT_AFTER_DONE);


  /** Not a kill: the provider takes the message and never answers within the read timeout (live modes only). */
  static final String PROVIDER_NO_ANSWER = "provider.no-answer";

  private static final List<String> ROWS = java.util.stream.Stream.concat(FAULT_POINTS.stream(), java.util.stream.Stream.of(PROVIDER_NO_ANSWER)).toList();

  /** The fault points CI kills at in each mode; {@code -Dfaults.scale=full} kills at every one in every mode. */
  static List<String> pointsFor(Lane.Mode mode) {
    if (FaultsScale.FULL || mode == Lane.Mode.SIMULATION) {
      return FAULT_POINTS.stream().filter(p -> mode.live() || !p.equals(PROVIDER_HOLDING)).toList();
    }
    return mode == Lane.Mode.LIVE_TWILIO
        ? List.of(TransactionalSend.FAULT_AFTER_CLAIM, PROVIDER_HOLDING, DeliveryJournal.FAULT_HALF_WRITTEN, TransactionalSend.FAULT_AFTER_LOG)
        : List.of(PROVIDER_HOLDING, TransactionalSend.FAULT_AFTER_DISPATCH, DeliveryJournal.FAULT_BEFORE_FORCE);
  }

  /** What the next run did with the send that a kill interrupted. */
  enum Recovery {
    /** The key was already done in the store: reported, nothing sent. */
    ALREADY_DONE("already done"),
    /** Found as sent in the delivery log and reconciled: nothing sent again. */
    RECONCILED("found in the log, reconciled"),
    /** Died mid-dispatch through a de-duplicating provider (or simulation): sent again under the same key. */
    RESENT("re-sent under the same key"),
    /** The kill came before the key was claimed: an ordinary first send. */
    FIRST_SEND("sent (killed before its claim)"),
    /** Twilio cannot de-duplicate: refused without --retry-interrupted; the provider had it, so it stays held. */
    HELD("refused; it had reached Twilio, held"),
    /** Twilio: refused, the provider never had it, so the operator's --retry-interrupted sent it once. */
    RETRIED_AFTER_CHECK("refused; not at Twilio, sent with --retry-interrupted"),
    /** No answer in time: Twilio is not asked again (exit 6, the claim held); Resend is, under the same key. */
    NOT_RETRIED("not retried, exit 6; next run refuses until --retry-interrupted"),
    RETRIED_SAME_KEY("retried under the same key, delivered once");

    final String label;

    Recovery(String label) {
      this.label = label;
    }
  }

  /** The totals over every lane. */
  static final class Figures {
    int faultPointKills;
    int randomKills;
    int lost;
    int duplicated;
    int tornFound;
    int tornAfterRecovery;
    int partialDocuments;
    int chainBreaks;
    int leftoverTempFiles;
    /** Sends done in the store without the audit row committed with the done mark. */
    int doneWithoutAudit;
    final Map<Recovery, Integer> recoveries = new LinkedHashMap<>();
    /** mode -> fault point -> what the next run did. */
    final Map<String, Map<String, String>> byPoint = new LinkedHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    int kills() {
      return faultPointKills + randomKills;
    }

    synchronized void add(Figures f) {
      faultPointKills += f.faultPointKills;
      randomKills += f.randomKills;
      lost += f.lost;
      duplicated += f.duplicated;
      tornFound += f.tornFound;
      tornAfterRecovery += f.tornAfterRecovery;
      partialDocuments += f.partialDocuments;
      chainBreaks += f.chainBreaks;
      leftoverTempFiles += f.leftoverTempFiles;
      doneWithoutAudit += f.doneWithoutAudit;
      f.recoveries.forEach((k, v) -> recoveries.merge(k, v, Integer::sum));
      byPoint.putAll(f.byPoint);
      problems.addAll(f.problems);
    }

    String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append("crash: ").append(kills()).append(" kills (").append(faultPointKills).append(" at named fault points, ")
          .append(randomKills).append(" random SIGKILL), ").append(lost).append(" lost, ").append(duplicated)
          .append(" duplicated, ").append(tornAfterRecovery).append(" torn after recovery (").append(tornFound)
          .append(" torn tails found and repaired), ").append(partialDocuments).append(" partial documents, ")
          .append(chainBreaks).append(" chain breaks, ").append(doneWithoutAudit).append(" sends done without their audit row; next run: ");
      List<String> parts = new ArrayList<>();
      recoveries.forEach((k, v) -> parts.add(v + " " + k.label));
      sb.append(String.join(", ", parts));
      return sb.toString();
    }

    String table() {
      StringBuilder sb = new StringBuilder("| fault point | ");
      List<String> modes = new ArrayList<>(byPoint.keySet());
      sb.append(String.join(" | ", modes)).append(" |\n|---|");
      modes.forEach(m -> sb.append("---|"));
      sb.append('\n');
      for (String point : ROWS) {
        sb.append("| `").append(point).append("` | ");
        List<String> cells = new ArrayList<>();
        for (String m : modes) {
          cells.add(byPoint.get(m).getOrDefault(point, "n/a"));
        }
        sb.append(String.join(" | ", cells)).append(" |\n");
      }
      return sb.toString();
    }
  }

  private final Path dir;
  private final Random random;

  CrashHarness(Path dir, long seed) {
    this.dir = dir;
    this.random = new Random(seed);
  }

  /** Deterministic kills at every fault point in each mode, then {@code randomKills} random ones spread over the modes. */
  Figures run(int randomKills) throws Exception {
    Lane.Mode[] modes = Lane.Mode.values();
    int[] share = new int[modes.length];
    for (int i = 0; i < randomKills; i++) {
      // Simulation gets half: it is the cheapest and reaches the same journal and store code.
      share[i % 2 == 0 ? 0 : 1 + (i / 2) % 2]++;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, FaultsScale.PARALLEL_LANES));
    List<Future<Figures>> futures = new ArrayList<>();
    for (int m = 0; m < modes.length; m++) {
      Lane.Mode mode = modes[m];
      int kills = share[m];
      long seed = random.nextLong();
      futures.add(pool.submit(() -> new LaneRun(mode, seed).run(kills)));
    }
    Figures total = new Figures();
    try {
      for (Future<Figures> f : futures) {
        total.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    return total;
  }

  /** One lane's kills, in sequence on one outbox. */
  private final class LaneRun {
    final Lane.Mode mode;
    final Random rnd;
    final Lane lane;
    final LoopbackProviders server;
    final Figures f = new Figures();
    final Set<Integer> used = new LinkedHashSet<>();
    final Set<Integer> reportedSent = new LinkedHashSet<>();
    final Set<Integer> held = new LinkedHashSet<>();
    final Map<String, String> byPoint = new LinkedHashMap<>();

    LaneRun(Lane.Mode mode, long seed) {
      this.mode = mode;
      this.rnd = new Random(seed);
      this.server = mode.live() ? new LoopbackProviders() : null;
      this.lane = new Lane(dir.resolve(mode.tag), mode.tag, mode, server);
      f.byPoint.put(mode.label, byPoint);
    }

    Figures run(int randomKills) throws Exception {
      try {
        // A first send, so the fault-point kills find an existing log and last document.
        probe();
        for (String point : pointsFor(mode)) {
          killAt(point);
        }
        if (mode.live()) {
          noAnswer();
        }
        for (int i = 0; i < randomKills; i++) {
          killRandomly(i);
        }
        finish();
        return f;
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }

    void killAt(String point) throws Exception {
      int n = lane.next();
      used.add(n);
      CommsProcess.Result r;
      if (point.equals(PROVIDER_HOLDING)) {
        server.holdNext(lane.recipient(n)::equals);
        CommsProcess.Running p = lane.process(lane.execute(n)).stdin("yes\n").start();
        if (!server.awaitHeld(90_000)) {
          p.kill();
          throw new AssertionError("the provider never received " + lane.key(n) + ":\n" + p.await(5));
        }
        r = p.kill();
        server.release();
      } else {
        r = lane.process(lane.execute(n)).env("COMMS_FAULT", point).stdin("yes\n").run();
        if (r.exit() != 137) {
          throw new AssertionError("fault point " + point + " was never reached in " + mode.label + " (exit " + r.exit() + "):\n" + r);
        }
      }
      f.faultPointKills++;
      Recovery what = afterKill(List.of(n), "fault point " + point);
      byPoint.put(point, what == null ? "?" : what.label);
    }

    /** The provider accepts the message and answers only after the client gave up waiting. */
    void noAnswer() {
      Lane impatient = lane.withReadTimeout(400);
      int n = lane.next();
      used.add(n);
      server.answerLate(lane.recipient(n), 1, 1500);
      CliRun.Result r = impatient.cli().stdin("yes\n").run(impatient.execute(n).toArray(String[]::new));
      Recovery what = null;
      if (mode == Lane.Mode.LIVE_TWILIO) {
        CliRun.Result next = lane.cli().stdin("yes\n").run(lane.execute(n).toArray(String[]::new));
        if (r.exit() == 6 && r.err().contains("--retry-interrupted") && next.exit() == 6 && next.err().contains("--retry-interrupted")
            && server.deliveredTo(lane.recipient(n)) == 1) {
          held.add(n);
          what = Recovery.NOT_RETRIED;
        } else {
          f.problems.add(mode.label + ": a Twilio request without an answer was not held for --retry-interrupted (delivered "
              + server.deliveredTo(lane.recipient(n)) + "):\n" + r + "\nnext run:\n" + next);
        }
      } else if (r.exit() == 0 && "sent".equals(status(r)) && server.requestsForKey(lane.key(n)) >= 2 && server.deliveredTo(lane.recipient(n)) == 1) {
        reportedSent.add(n);
        what = Recovery.RETRIED_SAME_KEY;
      } else {
        f.problems.add(mode.label + ": a Resend request without an answer was not retried safely (requests "
            + server.requestsForKey(lane.key(n)) + ", delivered " + server.deliveredTo(lane.recipient(n)) + "):\n" + r);
      }
      if (what != null) {
        f.recoveries.merge(what, 1, Integer::sum);
      }
      byPoint.put(PROVIDER_NO_ANSWER, what == null ? "?" : what.label);
    }

    void killRandomly(int i) throws Exception {
      int size = 120;
      List<Integer> ns = new ArrayList<>();
      List<List<String>> plan = new ArrayList<>();
      for (int k = 0; k < size; k++) {
        int n = lane.next();
        ns.add(n);
        plan.add(lane.execute(n));
      }
      Path planFile = SendWorker.plan(dir.resolve("plans").resolve(mode.name() + "-" + i + ".jsonl"), plan);
      if (server != null) {
        server.delay(40);
      }
      CommsProcess.Running p = CommsProcess.main(SendWorker.class, List.of(planFile.toString())).env(lane.env()).start();
      // One kill in four lands anywhere from JVM start; the rest among executes once they run.
      if (rnd.nextInt(4) == 0) {
        Thread.sleep(rnd.nextInt(2500));
      } else {
        p.awaitLine("ready"::equals, 90_000);
        Thread.sleep(rnd.nextInt(1500));
      }
      boolean alive = p.alive();
      CommsProcess.Result r = p.kill();
      if (server != null) {
        server.delay(0);
      }
      if (!alive || r.out().contains("finished")) {
        f.problems.add(mode.label + ": worker " + i + " ended before it was killed; enlarge its plan\n" + r);
        return;
      }
      f.randomKills++;
      List<Integer> inFlight = new ArrayList<>();
      Set<Integer> done = new LinkedHashSet<>();
      for (String line : r.out().lines().toList()) {
        String[] w = line.split(" ");
        if (w[0].equals("start")) {
          used.add(ns.get(Integer.parseInt(w[1])));
        } else if (w[0].equals("done")) {
          int n = ns.get(Integer.parseInt(w[1]));
          done.add(n);
          if (w[2].equals("0") && OutboxInspection.SUCCESS.contains(w[3])) {
            reportedSent.add(n);
          } else if (!w[2].equals("0")) {
            f.problems.add(mode.label + ": " + lane.key(n) + " exited " + w[2] + " before the kill:\n" + r.err());
          }
        }
      }
      for (int n : ns) {
        if (used.contains(n) && !done.contains(n)) {
          inFlight.add(n);
        }
      }
      afterKill(inFlight, "random kill " + i);
    }

    /** Checks the files as the next run finds them, then is that next run. Returns what it did with the first in-flight send. */
    Recovery afterKill(List<Integer> inFlight, String what) {
      OutboxInspection seen = OutboxInspection.of(lane.outbox);
      if (seen.torn()) {
        f.tornFound++;
      }
      if (!seen.chainOk()) {
        f.chainBreaks++;
        f.problems.add(mode.label + " after " + what + ": " + seen.chainProblem());
      }
      if (seen.lastArtifactProblem() != null) {
        f.partialDocuments++;
        f.problems.add(mode.label + " after " + what + ": " + seen.lastArtifactProblem());
      }
      // Before any next run could write a row of its own: what the killed run committed.
      doneWithoutAudit(what);
      Recovery first = null;
      for (int n : inFlight) {
        Recovery r = recover(n, what);
        if (r != null) {
          f.recoveries.merge(r, 1, Integer::sum);
          first = first == null ? r : first;
        }
      }
      probe();
      OutboxInspection after = OutboxInspection.of(lane.outbox);
      if (after.torn()) {
        f.tornAfterRecovery++;
        f.problems.add(mode.label + " after " + what + ": the delivery log still ends in a torn line after the next send");
      }
      if (after.problems() != null) {
        f.problems.add(mode.label + " after recovering from " + what + ": " + after.problems());
      }
      CliRun.Result verify = lane.cli().run("delivery.log", "--verify", "--no-receipt");
      if (verify.exit() != 0) {
        f.chainBreaks++;
        f.problems.add(mode.label + " after " + what + ": comms delivery.log --verify said\n" + verify);
      }
      return first;
    }

    /** The next run of the interrupted send, as an operator would make it: the same command again. */
    Recovery recover(int n, String what) {
      CliRun.Result r = lane.cli().stdin("yes\n").run(lane.execute(n).toArray(String[]::new));
      String status = status(r);
      if (r.exit() == 0 && "duplicate".equals(status)) {
        return r.err().contains("reconciled") ? Recovery.RECONCILED : Recovery.ALREADY_DONE;
      }
      if (r.exit() == 0 && OutboxInspection.SUCCESS.contains(status)) {
        return r.err().contains("died mid-dispatch") ? Recovery.RESENT : Recovery.FIRST_SEND;
      }
      if (r.exit() == 6 && r.err().contains("--retry-interrupted") && mode == Lane.Mode.LIVE_TWILIO) {
        if (server.deliveredTo(lane.recipient(n)) > 0) {
          held.add(n);
          return Recovery.HELD;
        }
        // The operator checked the Twilio console: it never arrived, so they retry.
        CliRun.Result again = lane.cli().stdin("yes\n").run(lane.execute(n, "--retry-interrupted").toArray(String[]::new));
        if (again.exit() == 0 && OutboxInspection.SUCCESS.contains(status(again))) {
          return Recovery.RETRIED_AFTER_CHECK;
        }
        f.problems.add(mode.label + " after " + what + ": --retry-interrupted did not send " + lane.key(n) + ":\n" + again);
        return null;
      }
      f.problems.add(mode.label + " after " + what + ": the next run of " + lane.key(n) + " did not reconcile it:\n" + r);
      return null;
    }

    /** A fresh send: the append that repairs a torn tail, and proof the outbox still works. */
    void probe() {
      int n = lane.next();
      used.add(n);
      CliRun.Result r = lane.cli().stdin("yes\n").run(lane.execute(n).toArray(String[]::new));
      if (r.exit() != 0 || !OutboxInspection.SUCCESS.contains(status(r))) {
        f.problems.add(mode.label + ": a fresh send after a kill failed:\n" + r);
      } else {
        reportedSent.add(n);
      }
    }

    void finish() {
      OutboxInspection end = OutboxInspection.of(lane.outbox);
      f.leftoverTempFiles += end.leftoverTempFiles();
      Map<String, Integer> sent = end.successesByKey();
      for (int n : used) {
        int s = sent.getOrDefault(lane.key(n), 0);
        if (s > 1) {
          f.duplicated++;
          f.problems.add(mode.label + ": " + lane.key(n) + " has " + s + " success lines");
        } else if (s == 0 && !held.contains(n)) {
          f.lost++;
          f.problems.add(mode.label + ": " + lane.key(n) + (reportedSent.contains(n) ? " was reported sent but" : "") + " has no success line");
        }
      }
      if (server != null) {
        for (String r : server.duplicatedRecipients()) {
          f.duplicated++;
          f.problems.add(mode.label + ": the provider delivered " + server.deliveredTo(r) + " messages to " + r);
        }
      }
      // Held Twilio sends stay claimed in flight: every later run refuses them until the operator decides.
      // Every other key the log holds as sent is done in the store, so a later run reports it and sends nothing.
      try (Store store = Store.at(new comms.core.outbox.OutboxPaths(lane.outbox).store())) {
        for (int n : used) {
          boolean done = store.idempotency(lane.key(n)).map(IdempotencyStore.IdempotencyEntry::done).orElse(false);
          if (held.contains(n) && done) {
            f.problems.add(mode.label + ": held " + lane.key(n) + " is no longer claimed in flight");
          } else if (!held.contains(n) && sent.getOrDefault(lane.key(n), 0) == 1 && !done) {
            f.problems.add(mode.label + ": " + lane.key(n) + " is logged as sent but not done in the store");
          }
        }
      }
      doneWithoutAudit("the last run");
    }

    /** Every send marked done has the audit row committed with the mark (resource_id: its delivery id). */
    void doneWithoutAudit(String what) {
      if (!Files.exists(new comms.core.outbox.OutboxPaths(lane.outbox).store())) {
        return;
      }
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + new comms.core.outbox.OutboxPaths(lane.outbox).store());
          java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT i.key, i.delivery_id FROM idempotency i WHERE i.state = 'done' AND NOT EXISTS"
                      + " (SELECT 1 FROM audit_log a WHERE a.action = 'send.execute' AND a.resource_id = i.delivery_id)")) {
        while (rs.next()) {
          f.doneWithoutAudit++;
          f.problems.add(mode.label + " after " + what + ": " + rs.getString(1) + " (delivery " + rs.getString(2) + ") is done in the store without an audit row");
        }
      } catch (java.sql.SQLException e) {
        f.problems.add(mode.label + ": could not read the store's audit rows: " + e);
      }
    }
  }

  static String status(CliRun.Result r) {
    try {
      Object doc = Json.parse(r.out());
      return doc instanceof Map<?, ?> m && m.get("status") != null ? String.valueOf(m.get("status")) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
