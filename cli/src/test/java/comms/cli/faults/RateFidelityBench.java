package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import comms.cli.CliRun;
import comms.core.provider.LiveFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, rate fidelity: live sends on the real clock (no COMMS_NOW, so the provider rates are
 * paced: core's Pacer and SendPacing) through {@link SendWorker} processes sharing one outbox and
 * store, against {@link LoopbackProviders}, which records when each request arrived. Per provider
 * scope: the most requests in any window of the rate's length (sliding, from every arrival), and
 * the rate used, (n - 1) / (last - first arrival) against the contract's. Wall time is the point, so
 * this is a bench, not a test of the suite: {@code bench/rates} runs it ({@code -Drates.run=true};
 * {@code --quick}: fewer sends at a higher contract rate). It asserts only what the bench reports as
 * broken (sends that failed); the figures go to {@code cli/target/rates/report.md}.
 */
class RateFidelityBench {
  static final boolean RUN = Boolean.getBoolean("rates.run");
  static final boolean QUICK = Boolean.getBoolean("rates.quick");
  static final int SENDS = Integer.getInteger("rates.sends", QUICK ? 60 : 600);
  static final Path REPORT = Path.of("target", "rates", "report.md");

  @TempDir Path tmp;

  /** A zone where it is now between 09:00 and 19:00, so no SMS meets the policy's quiet hours. */
  static String daytimeZone() {
    for (String z : List.of("America/Chicago", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Honolulu", "America/Los_Angeles")) {
      int h = Instant.now().atZone(ZoneId.of(z)).getHour();
      if (h >= 9 && h < 19) {
        return z;
      }
    }
    return "America/Chicago";
  }

  private Map<String, String> env(Path bindings, Path outbox) {
    Map<String, String> env = new HashMap<>(LiveFixtures.env());
    env.put("COMMS_BINDINGS", bindings.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("NO_COLOR", "1");
    return env;
  }

  /** Runs the plans in parallel processes, released together; every command's exit code. */
  private static List<String> runAll(Path dir, Map<String, String> env, List<List<List<String>>> plans, long timeoutS) throws Exception {
    Path go = dir.resolve("go");
    List<CommsProcess.Running> running = new ArrayList<>();
    for (int w = 0; w < plans.size(); w++) {
      Path plan = SendWorker.plan(dir.resolve("plans/" + w + ".jsonl"), plans.get(w));
      running.add(CommsProcess.main(SendWorker.class, List.of(plan.toString(), go.toString())).env(env).start());
    }
    for (CommsProcess.Running r : running) {
      r.awaitLine(l -> l.equals("waiting"), 60_000);
    }
    Files.writeString(go, "go");
    List<String> exits = new ArrayList<>();
    for (CommsProcess.Running r : running) {
      CommsProcess.Result res = r.await(timeoutS);
      for (String l : res.out().split("\n")) {
        if (l.startsWith("done ")) {
          exits.add(l.split(" ")[2]);
        }
      }
    }
    return exits;
  }

  /** The figures of one scope: the fullest sliding window and the rate used. */
  record Window(String scope, int n, int maxInWindow, int over, double used, int limit, String per) {
    String line() {
      return String.format("%s: %d requests, at most %d in any %s (limit %d); %d of the %d windows that start at an arrival over the limit; %.1f %% of the allowed rate used",
          scope, n, maxInWindow, per, limit, over, n, used * 100);
    }

    boolean met() {
      return maxInWindow <= limit && used >= 0.95;
    }
  }

  static Window window(String scope, List<LoopbackProviders.Arrival> all, int limit, long windowNanos, String per) {
    List<LoopbackProviders.Arrival> a = all.stream().filter(x -> x.scope().equals(scope)).sorted((x, y) -> Long.compare(x.nanos(), y.nanos())).toList();
    int max = 0;
    int over = 0;
    for (int i = 0, j = 0, units = 0; i < a.size(); i++) {
      while (j < a.size() && a.get(j).nanos() < a.get(i).nanos() + windowNanos) {
        units += a.get(j++).units();
      }
      max = Math.max(max, units);
      over += units > limit ? 1 : 0;
      units -= a.get(i).units();
    }
    int unitsAfterFirst = a.stream().skip(1).mapToInt(LoopbackProviders.Arrival::units).sum();
    double span = a.size() < 2 ? 0 : (a.get(a.size() - 1).nanos() - a.get(0).nanos());
    double used = span == 0 ? 0 : unitsAfterFirst / (span / windowNanos) / limit;
    saveArrivals(scope, a);
    return new Window(scope, a.size(), max, over, used, limit, per);
  }

  /** The arrivals of one scope, milliseconds after the first, for a closer look (cli/target/rates/SCOPE.txt). */
  static void saveArrivals(String scope, List<LoopbackProviders.Arrival> a) {
    try {
      Files.createDirectories(REPORT.getParent());
      StringBuilder sb = new StringBuilder();
      a.forEach(x -> sb.append((x.nanos() - a.get(0).nanos()) / 1_000_000).append(' ').append(x.units()).append('\n'));
      Files.writeString(REPORT.resolveSibling(scope.replaceAll("[^A-Za-z0-9_.-]", "_") + ".txt"), sb);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static synchronized void report(String heading, List<String> lines) throws IOException {
    Files.createDirectories(REPORT.getParent());
    StringBuilder sb = new StringBuilder("### " + heading + "\n\n");
    lines.forEach(l -> sb.append("- ").append(l).append('\n'));
    sb.append('\n');
    System.out.print(sb);
    Files.writeString(REPORT, sb.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> emailSend(String to, String... more) {
    List<String> a = new ArrayList<>(List.of("send.execute", "--channel", "email", "--message-type", "order_ready", "--to", to, "--consent-state", "implied",
        "--vars-json", Lane.VARS, "--execute", "-o", "json"));
    a.addAll(List.of(more));
    return a;
  }

  // ------------------------------------------------------------------ Resend: 2 requests a second per account

  @Test
  void resend() throws Exception {
    assumeTrue(RUN, "a bench: bench/rates runs it");
    int limit = QUICK ? 10 : 2;
    int workers = 4;
    try (LoopbackProviders server = new LoopbackProviders()) {
      Path b = Lane.liveBindings(tmp.resolve("resend"), server.url());
      CliRun.edit(b, "communications.providers.contract.yaml", "rate: { limit: 2, per: second, scope: account }", "rate: { limit: " + limit + ", per: second, scope: account }");
      Map<String, String> env = env(b, tmp.resolve("resend/outbox"));
      List<List<List<String>>> plans = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        List<List<String>> p = new ArrayList<>();
        for (int i = w; i < SENDS; i += workers) {
          p.add(emailSend("r" + i + "@example.com"));
        }
        plans.add(p);
      }
      long start = System.nanoTime();
      List<String> exits = runAll(tmp.resolve("resend"), env, plans, 3600);
      long ms = (System.nanoTime() - start) / 1_000_000;
      Window wdw = window("resend", server.arrivals(), limit, 1_000_000_000L, "second");
      report("Resend, " + limit + " requests a second per account (" + (QUICK ? "quick: a higher contract rate" : "the contract's rate") + ")",
          List.of(SENDS + " send.execute in " + workers + " processes on one store, " + ms + " ms: " + exits.stream().filter("0"::equals).count() + " exit 0",
              wdw.line() + ": " + (wdw.met() ? "met" : "not met")));
      assertEquals(SENDS, exits.stream().filter("0"::equals).count(), () -> "every send went: " + exits);
    }
  }

  // ------------------------------------------------------------------ Twilio: 1 segment a second per number, 4 numbers

  static final List<String> TYPES = List.of("order_ready", "payment_needed", "proof_ready", "shipping_update");
  static final List<String> NUMBERS = List.of("+13125550142", "+13125550143", "+13125550144", "+13125550145");
  static final List<String> VARS = List.of(Lane.VARS, HostileCorpus.VARS4,
      "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"proof_link\":\"https://example.com/p\"}",
      "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"carrier\":\"UPS\",\"tracking_number\":\"1Z999\"}");

  @Test
  void twilio() throws Exception {
    assumeTrue(RUN, "a bench: bench/rates runs it");
    int limit = QUICK ? 5 : 1;
    String zone = daytimeZone();
    try (LoopbackProviders server = new LoopbackProviders()) {
      Path b = Lane.liveBindings(tmp.resolve("twilio"), server.url());
      // Four numbers, one message type routed by each: the contract a shop with four long codes writes.
      Path providers = b.resolve("communications.providers.contract.yaml");
      String rate = "rate: { limit: 1, per: second, unit: segment, scope: sender }";
      String p = Files.readString(providers).replace(rate, "rate: { limit: " + limit + ", per: second, unit: segment, scope: sender }");
      String block = p.substring(p.indexOf("  twilio:\n"), p.indexOf("scope: sender }", p.indexOf("  twilio:\n")) + "scope: sender }".length()) + "\n";
      StringBuilder more = new StringBuilder();
      for (int k = 1; k < 4; k++) {
        more.append(block.replace("  twilio:\n", "  twilio_" + k + ":\n").replace(NUMBERS.get(0), NUMBERS.get(k)));
      }
      Files.writeString(providers, p.stripTrailing() + "\n" + more);
      for (int k = 1; k < 4; k++) {
        CliRun.edit(b, "communications.delivery.contract.yaml", "{ channel: sms, provider: twilio, template: " + TYPES.get(k) + ".sms }",
            "{ channel: sms, provider: twilio_" + k + ", template: " + TYPES.get(k) + ".sms }");
      }
      Map<String, String> env = env(b, tmp.resolve("twilio/outbox"));
      List<List<List<String>>> plans = new ArrayList<>();
      int perNumber = 2;
      for (int w = 0; w < 4 * perNumber; w++) {
        plans.add(new ArrayList<>());
      }
      for (int i = 0; i < SENDS; i++) {
        int k = i % 4;
        plans.get(k * perNumber + (i / 4) % perNumber).add(List.of("send.execute", "--channel", "sms", "--message-type", TYPES.get(k), "--to", String.format("+1312702%04d", i),
            "--consent-state", "opted-in", "--vars-json", VARS.get(k), "--recipient-tz", zone, "--execute", "-o", "json"));
      }
      long start = System.nanoTime();
      List<String> exits = runAll(tmp.resolve("twilio"), env, plans, 3600);
      long ms = (System.nanoTime() - start) / 1_000_000;
      List<String> lines = new ArrayList<>(List.of(SENDS + " send.execute over 4 numbers, " + (4 * perNumber) + " processes on one store, recipients judged in " + zone + ", " + ms + " ms: "
          + exits.stream().filter("0"::equals).count() + " exit 0"));
      boolean met = true;
      for (String n : NUMBERS) {
        Window wdw = window("twilio:" + n, server.arrivals(), limit, 1_000_000_000L, "second");
        lines.add(wdw.line() + " (segments)");
        met &= wdw.met();
      }
      lines.add(met ? "met on every number" : "not met");
      report("Twilio, " + limit + " segment" + (limit == 1 ? "" : "s") + " a second per number, 4 numbers (" + (QUICK ? "quick: a higher contract rate" : "the contract's rate") + ")", lines);
      assertEquals(SENDS, exits.stream().filter("0"::equals).count(), () -> "every send went: " + exits);
    }
  }

  // ------------------------------------------------------------------ Graph: 30 messages a minute per mailbox

  @Test
  void graph() throws Exception {
    assumeTrue(RUN, "a bench: bench/rates runs it");
    int limit = QUICK ? 300 : 30;
    int workers = 4;
    try (LoopbackProviders server = new LoopbackProviders();
        comms.core.provider.FakeAuthority authority = new comms.core.provider.FakeAuthority()) {
      Path live = Lane.liveBindings(tmp.resolve("graph/live"), server.url());
      Path b = SecretsSweep.pilotBindings(tmp.resolve("graph/bindings"), live, server.url() + "/v1.0", authority.url());
      CliRun.edit(b, "communications.providers.contract.yaml", "rate: { limit: 30, per: minute, scope: sender }", "rate: { limit: " + limit + ", per: minute, scope: sender }");
      Map<String, String> env = env(b, tmp.resolve("graph/outbox"));
      // Every process acts as dana, so every send-test goes from her own pilot mailbox: one scope.
      env.put("COMMS_OPERATOR", "dana@lakesideprint.com");
      List<List<List<String>>> plans = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        List<List<String>> p = new ArrayList<>();
        for (int i = w; i < SENDS; i += workers) {
          p.add(List.of("mail.send.test", "--to", "g" + i + "@example.com", "--subject", "pilot " + i, "--body", "hello", "--execute", "-o", "json"));
        }
        plans.add(p);
      }
      long start = System.nanoTime();
      List<String> exits = runAll(tmp.resolve("graph"), env, plans, 7200);
      long ms = (System.nanoTime() - start) / 1_000_000;
      Window wdw = window("graph:orders@lakesideprint.com", server.arrivals(), limit, 60_000_000_000L, "minute");
      report("Graph, " + limit + " messages a minute per mailbox (" + (QUICK ? "quick: a higher contract rate" : "the contract's rate") + ")",
          List.of(SENDS + " mail.send.test (live-pilot) from one mailbox in " + workers + " processes on one store, " + ms + " ms: " + exits.stream().filter("0"::equals).count() + " exit 0",
              wdw.line() + ": " + (wdw.met() ? "met" : "not met")));
      assertEquals(SENDS, exits.stream().filter("0"::equals).count(), () -> "every send went: " + exits);
    }
  }

  // ------------------------------------------------------------------ the operator's cap: 30 a minute each

  @Test
  void operatorCap() throws Exception {
    assumeTrue(RUN, "a bench: bench/rates runs it");
    int operators = QUICK ? 2 : 5;
    int perOperator = SENDS / operators;
    int minutes = (perOperator + 29) / 30;
    try (LoopbackProviders server = new LoopbackProviders()) {
      Path b = Lane.liveBindings(tmp.resolve("cap"), server.url());
      // Resend's own rate out of the way (50/s): only the operators' caps bind.
      CliRun.edit(b, "communications.providers.contract.yaml", "rate: { limit: 2, per: second, scope: account }", "rate: { limit: 50, per: second, scope: account }");
      Path outbox = tmp.resolve("cap/outbox");
      Map<String, String> env = env(b, outbox);
      List<String> emails = new ArrayList<>(List.of("dana@lakesideprint.com", "sam@lakesideprint.com"));
      for (int k = 2; k < operators; k++) {
        emails.add("op" + k + "@lakesideprint.com");
      }
      CliRun cli = new CliRun(outbox).bindings(b);
      env.forEach(cli::env);
      for (int k = 0; k < operators; k++) {
        if (k >= 2) {
          assertEquals(0, cli.stdin("yes\n").run("operators.add", "--email", emails.get(k), "--name", "Op " + k, "--execute").exit());
        }
        CliRun.Result r = cli.stdin("yes\n").run("operators.update", "--email", emails.get(k), "--per-minute-cap", "30", "--daily-cap", "100000", "--execute");
        assertEquals(0, r.exit(), r::toString);
      }
      // Each operator tries four times a second for `minutes` minutes and a bit; the cap lets 30 a minute through.
      List<List<List<String>>> plans = new ArrayList<>();
      int tries = (minutes * 60 + 20) * 4;
      for (int k = 0; k < operators; k++) {
        List<List<String>> p = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
          p.add(emailSend("op" + k + "-" + i + "@example.com", "--as", emails.get(k)));
          p.add(List.of("--sleep-ms", "250"));
        }
        plans.add(p);
      }
      long start = System.nanoTime();
      List<String> exits = runAll(tmp.resolve("cap"), env, plans, 3600);
      long ms = (System.nanoTime() - start) / 1_000_000;
      List<String> lines = new ArrayList<>(List.of(operators + " operators, each in its own process trying 4 sends a second for " + ms / 1000 + " s (" + exits.size() + " tries): "
          + exits.stream().filter("0"::equals).count() + " sent, " + exits.stream().filter("4"::equals).count() + " refused by the cap (exit 4), "
          + exits.stream().filter(e -> !e.equals("0") && !e.equals("4")).count() + " other"));
      boolean met = true;
      int total = 0;
      for (int k = 0; k < operators; k++) {
        String prefix = "op" + k + "-";
        List<LoopbackProviders.Arrival> mine = server.arrivals().stream().filter(a -> a.to().startsWith(prefix)).toList();
        total += mine.size();
        TreeMap<Long, Integer> perMinute = new TreeMap<>();
        mine.forEach(a -> perMinute.merge(a.epochMillis() / 60_000, 1, Integer::sum));
        int max = perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Whole minutes only: the first and the last minute of the run are partial.
        List<Integer> whole = perMinute.size() > 2 ? new ArrayList<>(perMinute.values()).subList(1, perMinute.size() - 1) : List.of();
        double used = whole.isEmpty() ? 0 : whole.stream().mapToInt(Integer::intValue).sum() / (30.0 * whole.size());
        String capScope = "cap-" + emails.get(k);
        Window sliding = window(capScope, mine.stream().map(a -> new LoopbackProviders.Arrival(capScope, a.to(), 1, a.nanos(), a.epochMillis())).toList(), 30, 60_000_000_000L, "sliding minute");
        lines.add(String.format("%s: %d sent; per clock minute at most %d (cap 30), the whole minutes %s: %.1f %% of the cap used; at most %d in any sliding minute (a per-minute cap counts clock minutes, so up to twice the cap can straddle one boundary)",
            emails.get(k), mine.size(), max, whole, used * 100, sliding.maxInWindow()));
        met &= max <= 30 && used >= 0.95;
      }
      lines.add(total + " sends in all; " + (met ? "met for every operator" : "not met"));
      report("The operator's per-minute cap, 30 a minute, " + operators + " operators (" + (QUICK ? "quick" : "full") + ")", lines);
      assertTrue(exits.stream().allMatch(e -> e.equals("0") || e.equals("4")), () -> "every try sent or was refused by the cap: " + exits);
    }
  }
}
