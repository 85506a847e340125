package comms.cli.faults;

import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.store.SendCaps;
import comms.core.store.IdempotencyStore;
import comms.core.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Phase three: operators with small caps, each shared by several processes racing to send more
 * than the cap allows: each operator sends exactly its cap, not one more, and every refusal is
 * logged as such.
 */
final class ConcurrencyHarness {
  /** What the user must never see, however busy the store is. */
  static final List<String> LOCK_ERRORS = List.of("database is locked", "SQLITE_BUSY", "stayed busy", "internal error");

  /**
   * Phase three's operators: {@code operators} people sharing {@code processes} workers (worker w
   * acts as operator w mod operators), each tries {@code attempts} sends, and each operator's cap is
   * below what its workers try together. The caps take turns: a per-minute cap of about two thirds,
   * a daily cap of half, and a per-minute cap one below the attempts (so a single extra send would
   * show). The clock is fixed (COMMS_NOW), so every send falls in one minute of one day.
   */
  static final class OperatorCaps {
    final int attempts;
    final List<String> emails = new ArrayList<>();
    /** operator -> sends its workers try, the cap that binds, and the refusal code it gives. */
    final Map<String, Integer> tries = new LinkedHashMap<>();
    final Map<String, Integer> caps = new LinkedHashMap<>();
    final Map<String, String> codes = new LinkedHashMap<>();
    private final StringBuilder yaml = new StringBuilder();

    OperatorCaps(int processes, int attempts) {
      this.attempts = attempts;
      int operators = Math.min(3, processes);
      for (int i = 0; i < operators; i++) {
        emails.add("op" + i + "@lakesideprint.com");
      }
      for (int w = 0; w < processes; w++) {
        tries.merge(operator(w), attempts, Integer::sum);
      }
      yaml.append("version: 1\ndefault_operator: ").append(emails.get(0)).append("\noperators:\n");
      for (int i = 0; i < operators; i++) {
        String e = emails.get(i);
        int a = tries.get(e);
        int daily = 1_000_000;
        int minute = 10_000;
        switch (i % 3) {
          case 0 -> {
            minute = Math.max(1, a * 2 / 3);
            caps.put(e, minute);
            codes.put(e, SendCaps.MINUTE_EXHAUSTED + ":" + minute);
          }
          case 1 -> {
            daily = Math.max(1, a / 2);
            caps.put(e, daily);
            codes.put(e, SendCaps.DAILY_EXHAUSTED + ":" + daily);
          }
          default -> {
            minute = Math.max(1, a - 1);
            caps.put(e, minute);
            codes.put(e, SendCaps.MINUTE_EXHAUSTED + ":" + minute);
          }
        }
        yaml.append("  - email: ").append(e).append("\n    display_name: Operator ").append(i).append("\n    role: operator\n    daily_cap: ").append(daily)
            .append("\n    per_minute_cap: ").append(minute).append('\n');
      }
    }

    String operator(int worker) {
      return emails.get(worker % emails.size());
    }

    /** The operators contract that sets these caps. */
    String contract() {
      return yaml.toString();
    }

    /**
     * Sends over each operator's cap, summed (0 when within every cap); a send under the cap, a
     * refusal with the wrong code, or a line with no operator is a problem too.
     */
    int check(List<DeliveryRecord> lines, Figures f) {
      Map<String, Integer> sent = new HashMap<>();
      Map<String, Integer> refused = new HashMap<>();
      for (DeliveryRecord r : lines) {
        if (r.operator() == null || !caps.containsKey(r.operator())) {
          f.problems.add("a line of the capped phase names operator " + r.operator() + ": " + r.fields());
        } else if (OutboxInspection.SUCCESS.contains(r.status())) {
          sent.merge(r.operator(), 1, Integer::sum);
        } else if ("failed".equals(r.status()) && codes.get(r.operator()).equals(r.error())) {
          refused.merge(r.operator(), 1, Integer::sum);
        } else {
          f.problems.add("a line of the capped phase is neither sent nor refused by the cap: " + r.fields());
        }
      }
      int over = 0;
      for (String e : emails) {
        int n = sent.getOrDefault(e, 0);
        int cap = caps.get(e);
        if (n > cap) {
          over += n - cap;
          f.problems.add("operator " + e + " sent " + n + ", over the cap of " + cap);
        } else if (n < cap) {
          f.capsUnder += cap - n;
          f.problems.add("operator " + e + " sent " + n + " of " + tries.get(e) + " tries, under the cap of " + cap);
        }
        int r = refused.getOrDefault(e, 0);
        if (r != tries.get(e) - cap) {
          f.problems.add("operator " + e + ": " + r + " refusals logged as " + codes.get(e) + ", expected " + (tries.get(e) - cap));
        }
        f.capRefusals += r;
      }
      return over;
    }

    String describe() {
      StringBuilder sb = new StringBuilder();
      for (String e : emails) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(tries.get(e)).append(" tries against ").append(codes.get(e).startsWith(SendCaps.DAILY_EXHAUSTED) ? "a daily" : "a per-minute")
            .append(" cap of ").append(caps.get(e));
      }
      return sb.toString();
    }
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
    int capsUnder;
    int capRefusals;
    int capProcesses;
    String caps = "";
    long millis;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    String summary() {
      return "concurrency: " + processes + " processes x " + executes + " executes on one outbox: " + lines + " lines (expected "
          + expectedLines + "), " + malformed + " malformed, chain " + (chainOk ? "valid" : "BROKEN") + ", " + keysNotOnce
          + " keys not sent exactly once, " + lockErrors + " 'database is locked' seen, " + failedExits + " failed exits; "
          + contendedKeys + " keys raced by " + contenders + " processes: " + contendedSentTwice + " sent twice; per-operator caps, "
          + capProcesses + " processes as " + caps + ": " + overCap + " sends over a cap, " + capsUnder + " under, " + capRefusals
          + " refusals logged; " + millis + " ms";
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
        plan.add(lane.execute(n));
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
          boolean done = store.idempotency(key).map(IdempotencyStore.IdempotencyEntry::done).orElse(false);
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
    capped(f, processes, executes);
    f.millis = (System.nanoTime() - t0) / 1_000_000;
    return f;
  }

  /**
   * Phase three: its own outbox and store, operators with caps below what their workers try
   * together, every worker sending as its operator at once.
   */
  private void capped(Figures f, int processes, int executes) throws Exception {
    Lane lane = new Lane(dir.resolve("capped"), "cap", Lane.Mode.SIMULATION, null);
    OperatorCaps caps = new OperatorCaps(processes, Math.max(2, executes / 2));
    Files.writeString(lane.bindings.resolve("communications.operators.yaml"), caps.contract());
    List<List<List<String>>> plans = new ArrayList<>();
    for (int w = 0; w < processes; w++) {
      List<List<String>> plan = new ArrayList<>();
      for (int i = 0; i < caps.attempts; i++) {
        plan.add(lane.execute(lane.next(), "--as", caps.operator(w)));
      }
      plans.add(plan);
    }
    List<CommsProcess.Result> results = together(lane, plans, "capped");
    for (CommsProcess.Result r : results) {
      for (String line : r.out().lines().toList()) {
        String[] w = line.split(" ");
        if (w[0].equals("done") && !(w[2].equals("0") && w[3].equals("simulated") || w[2].equals("4") && w[3].equals("failed"))) {
          f.failedExits++;
          f.problems.add("a capped execute answered exit " + w[2] + " status " + w[3]);
        }
      }
      if (r.exit() != 0) {
        f.failedExits++;
        f.problems.add("a capped worker failed:\n" + r);
      }
      lockErrors(f, r.err());
    }
    if (!Files.exists(new OutboxPaths(lane.outbox).deliveryLog())) {
      f.problems.add("the capped phase logged nothing:\n" + results.get(0));
      return;
    }
    OutboxInspection seen = OutboxInspection.of(lane.outbox);
    f.chainOk &= seen.chainOk() && !seen.torn();
    f.malformed += countMalformed(lane.outbox);
    if (seen.lines().size() != processes * caps.attempts) {
      f.problems.add("the capped phase logged " + seen.lines().size() + " lines for " + processes * caps.attempts + " executes");
    }
    f.overCap = caps.check(seen.lines(), f);
    f.capProcesses = processes;
    f.caps = caps.emails.size() + " operators (" + caps.describe() + ")";
    // The store agrees: the units used today are exactly the caps.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + new OutboxPaths(lane.outbox).store());
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT used FROM send_caps WHERE operator = ? AND bucket = ?")) {
      for (String e : caps.emails) {
        ps.setString(1, e);
        ps.setString(2, "day:" + Lane.DAYTIME.substring(0, 10));
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          int used = rs.next() ? rs.getInt(1) : 0;
          if (used != caps.caps.get(e)) {
            f.problems.add("the store says " + e + " used " + used + " units today; the cap is " + caps.caps.get(e));
          }
        }
      }
    }
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
