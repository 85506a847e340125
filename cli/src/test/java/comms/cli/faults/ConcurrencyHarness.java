package comms.cli.faults;

import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 7, promise 2: several comms processes executing sends at once against one outbox and one
 * SQLite store. Phase one: P processes × N executes, every one its own message: exactly P×N
 * well-formed lines, a valid chain, every key done once, no "database is locked" reaching anyone.
 * Phase two: P processes race over the same K keys: each key is sent exactly once, the others are
 * told "duplicate" or "another run is dispatching".
 *
 * <p>Per-operator caps (issue 8) plug in at {@link OperatorCaps}: {@link #operatorArgs} gives each
 * worker its operator, and {@link OperatorCaps#check} counts the lines per operator against the
 * caps. Until operators exist it gives no arguments and checks nothing.
 */
final class ConcurrencyHarness {
  /** What the user must never see, however busy the store is. */
  static final List<String> LOCK_ERRORS = List.of("database is locked", "SQLITE_BUSY", "stayed busy", "internal error");

  /**
   * The place for issue 8's assertion: "per-operator caps never exceeded by even one". Once
   * operators land, {@link #operatorArgs} passes {@code --operator} per worker and {@link #CAPS}
   * holds each operator's cap from the contract; {@link #check} already counts sends per operator
   * from the log's {@code operator} field and reports every excess.
   */
  static final class OperatorCaps {
    /** operator -> most sends allowed in the harness's window; empty until issue 8 (nothing to check). */
    static final Map<String, Integer> CAPS = Map.of();

    private OperatorCaps() {}

    /** Sends over each operator's cap, summed (0 when within every cap). */
    static int check(List<DeliveryRecord> lines, List<String> problems) {
      Map<String, Integer> sent = new java.util.HashMap<>();
      for (DeliveryRecord r : lines) {
        if (r.operator() != null && OutboxInspection.SUCCESS.contains(r.status())) {
          sent.merge(r.operator(), 1, Integer::sum);
        }
      }
      int over = 0;
      for (Map.Entry<String, Integer> cap : CAPS.entrySet()) {
        int n = sent.getOrDefault(cap.getKey(), 0);
        if (n > cap.getValue()) {
          over += n - cap.getValue();
          problems.add("operator " + cap.getKey() + " sent " + n + ", over the cap of " + cap.getValue());
        }
      }
      return over;
    }
  }

  /** Extra send.execute arguments for worker {@code w}: {@code --operator …} once issue 8 lands. */
  static List<String> operatorArgs(int worker) {
    return List.of();
  }

  /** The figures of one run. */
  static final class Figures {
    int processes;
    int executes;
    int lines;
    int expectedLines;
    boolean chainOk;
    int malformed;
    int lockErrors;
    int failedExits;
    int keysNotOnce;
    int contendedKeys;
    int contenders;
    int contendedSentTwice;
    int contendedAnswers;
    int overCap;
    boolean capsChecked;
    long millis;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    String summary() {
      return "concurrency: " + processes + " processes x " + executes + " executes on one outbox: " + lines + " lines (expected "
          + expectedLines + "), " + malformed + " malformed, chain " + (chainOk ? "valid" : "BROKEN") + ", " + keysNotOnce
          + " keys not sent exactly once, " + lockErrors + " 'database is locked' seen, " + failedExits + " failed exits; "
          + contendedKeys + " keys raced by " + contenders + " processes: " + contendedSentTwice + " sent twice; per-operator caps: "
          + (capsChecked ? overCap + " over" : "not checked until operators (issue 8) land") + "; " + millis + " ms";
    }
  }

  private final Path dir;
  private final Random random;
  /** How long each phase took from "go" to the last worker's exit. */
  final List<Long> phaseMillis = new ArrayList<>();

  ConcurrencyHarness(Path dir, long seed) {
    this.dir = dir;
    this.random = new Random(seed);
  }

  Figures run(int processes, int executes) throws Exception {
    Figures f = new Figures();
    f.processes = processes;
    f.executes = executes;
    Lane lane = new Lane(dir, "con", Lane.Mode.SIMULATION, null);
    long t0 = System.nanoTime();

    // Phase one: every execute its own message.
    List<List<Integer>> numbers = new ArrayList<>();
    List<List<List<String>>> plans = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      List<Integer> ns = new ArrayList<>();
      List<List<String>> plan = new ArrayList<>();
      for (int i = 0; i < executes; i++) {
        int n = lane.next();
        ns.add(n);
        List<String> args = new ArrayList<>(lane.execute(n));
        args.addAll(operatorArgs(w));
        plan.add(args);
      }
      numbers.add(ns);
      plans.add(plan);
    }
    List<CommsProcess.Result> results = together(lane, plans, "unique");
    check(f, results, executes);
    f.expectedLines = processes * executes;
    OutboxInspection seen = OutboxInspection.of(lane.outbox);
    f.lines = seen.lines().size();
    f.chainOk = seen.chainOk() && !seen.torn();
    f.malformed = countMalformed(lane.outbox);
    if (seen.problems() != null) {
      f.problems.add(seen.problems());
    }
    Map<String, Integer> sent = seen.successesByKey();
    try (Store store = Store.at(new OutboxPaths(lane.outbox).store())) {
      for (List<Integer> ns : numbers) {
        for (int n : ns) {
          String key = lane.key(n);
          boolean done = store.idempotency(key).map(Store.IdempotencyEntry::done).orElse(false);
          if (sent.getOrDefault(key, 0) != 1 || !done) {
            f.keysNotOnce++;
            f.problems.add(key + ": " + sent.getOrDefault(key, 0) + " success lines, done in the store: " + done);
          }
        }
      }
    }

    // Phase two: every process tries the same keys, in its own order.
    int contended = Math.max(2, executes / 2);
    List<Integer> shared = new ArrayList<>();
    for (int i = 0; i < contended; i++) {
      shared.add(lane.next());
    }
    List<List<List<String>>> racing = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      List<Integer> order = new ArrayList<>(shared);
      Collections.shuffle(order, random);
      List<List<String>> plan = new ArrayList<>();
      for (int n : order) {
        plan.add(lane.execute(n));
      }
      racing.add(plan);
    }
    List<CommsProcess.Result> raced = together(lane, racing, "shared");
    f.contendedKeys = contended;
    f.contenders = processes;
    for (CommsProcess.Result r : raced) {
      for (String line : r.out().lines().toList()) {
        String[] w = line.split(" ");
        if (w[0].equals("done")) {
          f.contendedAnswers++;
          boolean fine = w[2].equals("0") && (w[3].equals("simulated") || w[3].equals("duplicate")) || w[2].equals("4") && w[3].equals("blocked");
          if (!fine) {
            f.failedExits++;
            f.problems.add("a racing execute answered exit " + w[2] + " status " + w[3]);
          }
        }
      }
      lockErrors(f, r.err());
    }
    OutboxInspection after = OutboxInspection.of(lane.outbox);
    for (int n : shared) {
      int s = after.successes(lane.key(n));
      if (s != 1) {
        f.contendedSentTwice += s > 1 ? 1 : 0;
        f.problems.add(lane.key(n) + " raced by " + processes + " processes has " + s + " success lines");
      }
    }
    f.chainOk &= after.chainOk() && !after.torn();
    f.malformed = countMalformed(lane.outbox);
    f.overCap = OperatorCaps.check(after.lines(), f.problems);
    f.capsChecked = !OperatorCaps.CAPS.isEmpty();
    f.millis = (System.nanoTime() - t0) / 1_000_000;
    return f;
  }

  /** Starts one worker per plan, lets them all begin at once, waits for all. */
  private List<CommsProcess.Result> together(Lane lane, List<List<List<String>>> plans, String phase) throws IOException {
    Path go = dir.resolve("go-" + phase);
    List<CommsProcess.Running> running = new ArrayList<>();
    for (int w = 0; w < plans.size(); w++) {
      Path plan = SendWorker.plan(dir.resolve("plans").resolve(phase + "-" + w + ".jsonl"), plans.get(w));
      running.add(CommsProcess.main(SendWorker.class, List.of(plan.toString(), go.toString())).env(lane.env()).start());
    }
    for (CommsProcess.Running r : running) {
      if (!r.awaitLine("waiting"::equals, 120_000)) {
        throw new AssertionError("a worker did not start:\n" + r.await(10));
      }
    }
    long t0 = System.nanoTime();
    Files.createFile(go);
    List<CommsProcess.Result> out = new ArrayList<>();
    for (CommsProcess.Running r : running) {
      out.add(r.await(600));
    }
    phaseMillis.add((System.nanoTime() - t0) / 1_000_000);
    return out;
  }

  private static void check(Figures f, List<CommsProcess.Result> results, int executes) {
    for (CommsProcess.Result r : results) {
      int done = 0;
      for (String line : r.out().lines().toList()) {
        String[] w = line.split(" ");
        if (w[0].equals("done")) {
          done++;
          if (!w[2].equals("0") || !w[3].equals("simulated")) {
            f.failedExits++;
            f.problems.add("an execute answered exit " + w[2] + " status " + w[3]);
          }
        }
      }
      if (r.exit() != 0 || done != executes) {
        f.failedExits++;
        f.problems.add("a worker ran " + done + " of " + executes + " executes:\n" + r);
      }
      lockErrors(f, r.err());
    }
  }

  private static void lockErrors(Figures f, String stderr) {
    for (String line : stderr.lines().toList()) {
      for (String bad : LOCK_ERRORS) {
        if (line.contains(bad)) {
          f.lockErrors++;
          f.problems.add("a user saw: " + line);
          break;
        }
      }
    }
  }

  /** Lines that are not one JSON object ending in its hash field (the chain check covers the rest). */
  private static int countMalformed(Path outbox) throws IOException {
    Path log = new OutboxPaths(outbox).deliveryLog();
    int bad = 0;
    for (String line : Files.readAllLines(log)) {
      if (!line.startsWith("{\"time\":\"") || !line.matches(".*,\"hash\":\"[0-9a-f]{64}\"}")) {
        bad++;
      }
    }
    return bad;
  }
}
