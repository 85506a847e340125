package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.delivery.TransactionalSend;
import comms.core.json.Json;
import comms.core.sequence.SequenceWorker;
import comms.core.store.StoreBackend;
import comms.core.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: a team's workers on several hosts share one PostgreSQL store. Four `sequence.run`
 * processes, each its own JVM, its own connection and its own outbox (as on four hosts), pass at the
 * same instants (one clock, stepped from one due time to the next) over one three-stage sequence: every (recipient, stage) goes exactly once, and the operator's per-minute cap
 * is never exceeded in any minute. The size is {@value #DEFAULT_RECIPIENTS} recipients here;
 * bench/team runs it with 10^4 (COMMS_TEAM_RECIPIENTS=10000, COMMS_TEAM_PER_MINUTE_CAP).
 */
class TeamWorkersTest {
  static final String MONDAY = "2026-12-07T15:00:00Z";
  static final int DEFAULT_RECIPIENTS = 150;
  static final int WORKERS = 4;
  static final int PER_MINUTE_CAP = size("COMMS_TEAM_PER_MINUTE_CAP", 40);

  @TempDir Path tmp;

  @Test
  void fourWorkerProcessesOnOnePostgresqlStoreSendEveryStageOnceWithinTheCaps() throws Exception {
    int recipients = size("COMMS_TEAM_RECIPIENTS", DEFAULT_RECIPIENTS);
    StoreUrl url = StoreBackend.POSTGRESQL.url(tmp.resolve("team-store"));
    Map<String, String> storeEnv = Map.of(StoreUrl.ENV, url.display(), StoreUrl.DEFAULT_PASSWORD_ENV, url.password());
    Path seed = tmp.resolve("seed-outbox");
    Path seqFile =
        Files.writeString(
            tmp.resolve("team.sequence.yaml"),
            """
            version: 1
            name: Team
            zone: America/New_York
            window: { start: "08:00", end: "20:00" }
            stages:
              - { medium: email, delay: "0", trigger: always, template: welcome_intro.email }
              - { medium: email, delay: 1d, trigger: always, template: welcome_followup.email }
              - { medium: email, delay: 1d, trigger: always, template: welcome_intro.email }
            """);
    ok(cli(seed, storeEnv), "operators.update", "--email", "sam@lakesideprint.com", "--role", "admin", "--execute");
    ok(cli(seed, storeEnv), "operators.update", "--email", "dana@lakesideprint.com", "--daily-cap", "1000000", "--per-minute-cap",
        String.valueOf(PER_MINUTE_CAP), "--execute");
    ok(cli(seed, storeEnv), "sequence.create", "--file", seqFile.toString(), "--execute");
    for (int from = 0; from < recipients; from += 2000) {
      StringBuilder csv = new StringBuilder("email,first_name,company\n");
      for (int i = from; i < Math.min(recipients, from + 2000); i++) {
        csv.append("r").append(i).append("@example.com,R").append(i).append(",Co ").append(i).append('\n');
      }
      Path file = Files.writeString(tmp.resolve("r" + from + ".csv"), csv);
      ok(cli(seed, storeEnv), "sequence.add-recipients", "Team", "--file", file.toString(), "--execute");
    }
    ok(cli(seed, storeEnv), "replies.sync", "--execute");
    // The recipient-count gate of the sample contract: 51-500 a confirmation by another operator, above 1000 an admin's token.
    if (recipients <= 500) {
      ok(cli(seed, storeEnv), "approval.confirm", "Team", "--as", "sam@lakesideprint.com", "--execute");
      ok(cli(seed, storeEnv), "sequence.launch", "Team", "--approval", "confirm:sam@lakesideprint.com", "--execute");
    } else {
      assertTrue(recipients > 1000, "bench sizes are 150 (the test) or above 1000");
      CliRun.Result token = cli(seed, storeEnv).run("approval.issue", "Team", "--as", "sam@lakesideprint.com", "--execute", "--output", "json");
      assertEquals(0, token.exit(), token::toString);
      ok(cli(seed, storeEnv), "sequence.launch", "Team", "--approval", "token:" + Json.parseObject(token.out()).get("token"), "--execute");
    }

    // Rounds on one clock, as hosts share real time: in each round the four processes pass at the same
    // instant and race for the same due rows; then the clock moves to the next due time (at least a minute on).
    Instant now = Instant.parse(MONDAY);
    int sent = 0;
    int rounds = 0;
    while (true) {
      List<CommsProcess.Running> running = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        Map<String, String> env = new HashMap<>(storeEnv);
        env.put("COMMS_OUTBOX", tmp.resolve("host" + w).toString());
        env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
        env.put("COMMS_NOW", now.toString());
        running.add(CommsProcess.comms(List.of("sequence.run", "--once", "--limit", String.valueOf(Math.max(recipients, 100)), "--output", "json"))
            .env(env).start());
      }
      for (CommsProcess.Running r : running) {
        CommsProcess.Result res = r.await(600);
        assertEquals(0, res.exit(), res::toString);
        sent += ((Number) Json.parseObject(res.out()).get("sent")).intValue();
      }
      rounds++;
      Instant next = nextDue(tmp.resolve("team-store"));
      if (next == null) {
        break;
      }
      assertTrue(rounds < 20 * 3 * recipients / PER_MINUTE_CAP + 100, "the workers stopped making progress at " + now);
      now = next.isAfter(now.plusSeconds(60)) ? next : now.plusSeconds(60);
    }
    List<String> lines = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      Path log = tmp.resolve("host" + w).resolve("communications/communications-delivery-log.jsonl");
      if (Files.exists(log)) {
        lines.addAll(Files.readAllLines(log));
      }
    }
    // A send the cap refused after another host took the minute's last unit is logged too; what went out is what counts.
    Map<Object, Long> statuses = new TreeMap<>();
    lines.forEach(l -> statuses.merge(Json.parseObject(l).get("status"), 1L, Long::sum));
    List<String> delivered = lines.stream().filter(l -> List.of("simulated", "sent").contains(Json.parseObject(l).get("status"))).toList();
    assertEquals(3 * recipients, delivered.size(), () -> "one delivery per stage over the four hosts: " + statuses);
    assertEquals(delivered.size(), delivered.stream().map(l -> Json.parseObject(l).get("idempotency_key")).distinct().count(), "no key delivered twice");
    assertTrue(statuses.keySet().stream().allMatch(k -> List.of("simulated", "sent", "failed").contains(k)), statuses::toString);
    assertEquals(3 * recipients, sent, "the workers together sent each stage once");
    Map<String, Integer> perMinute = new TreeMap<>();
    for (String l : delivered) {
      perMinute.merge(String.valueOf(Json.parseObject(l).get("time")).substring(0, 16), 1, Integer::sum);
    }
    int busiest = perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    assertTrue(busiest <= PER_MINUTE_CAP, "at most " + PER_MINUTE_CAP + " sends in any minute, saw " + busiest);
    try (Connection c = StoreBackend.POSTGRESQL.connect(tmp.resolve("team-store"));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (enrollment_id, stage)) FROM stage_sends WHERE state = 'sent'")) {
        rs.next();
        assertEquals(3 * recipients, rs.getInt(1));
        assertEquals(3 * recipients, rs.getInt(2));
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM enrollments WHERE state = 'completed'")) {
        rs.next();
        assertEquals(recipients, rs.getInt(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(used), 0) FROM send_caps WHERE bucket LIKE 'minute:%'")) {
        rs.next();
        assertTrue(rs.getInt(1) <= PER_MINUTE_CAP, "a minute bucket over the cap: " + rs.getInt(1));
      }
    }
    System.out.println("TeamWorkersTest: " + recipients + " recipients x 3 stages, " + WORKERS + " workers, " + rounds + " rounds, busiest minute "
        + busiest + " sends (cap " + PER_MINUTE_CAP + "), log lines " + statuses);
  }

  /**
   * A worker process on one host is killed (as by SIGKILL) right after the provider answered its first
   * stage send and the store recorded that answer, before its own delivery log took the line. A worker
   * on another host, with its own outbox (no line of it, no lock of it), takes the stage over once the
   * claim lapsed: it reconciles that send from the shared store (audit outcome "duplicate", its line
   * now in this host's log) instead of sending it again, and sends the rest once.
   */
  @Test
  void aWorkerKilledMidSendOnOneHostIsTakenOverByAnotherWithoutASecondSend() throws Exception {
    int recipients = 5;
    StoreUrl url = StoreBackend.POSTGRESQL.url(tmp.resolve("team-store"));
    Map<String, String> storeEnv = Map.of(StoreUrl.ENV, url.display(), StoreUrl.DEFAULT_PASSWORD_ENV, url.password());
    Path seed = tmp.resolve("seed-outbox");
    Path seqFile =
        Files.writeString(
            tmp.resolve("one.sequence.yaml"),
            """
            version: 1
            name: Takeover
            zone: America/New_York
            window: { start: "08:00", end: "20:00" }
            stages:
              - { medium: email, delay: "0", trigger: always, template: welcome_intro.email }
            """);
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (int i = 0; i < recipients; i++) {
      csv.append("t").append(i).append("@example.com,T").append(i).append(",Co ").append(i).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("takeover.csv"), csv);
    ok(cli(seed, storeEnv), "sequence.create", "--file", seqFile.toString(), "--execute");
    ok(cli(seed, storeEnv), "sequence.add-recipients", "Takeover", "--file", file.toString(), "--execute");
    ok(cli(seed, storeEnv), "replies.sync", "--execute");
    ok(cli(seed, storeEnv), "sequence.launch", "Takeover", "--execute");

    Instant now = Instant.parse(MONDAY);
    CommsProcess.Result killed = worker("host-a", storeEnv, now, Map.of("COMMS_FAULT", TransactionalSend.FAULT_AFTER_RECORDED)).await(300);
    assertEquals(137, killed.exit(), killed::toString);
    assertTrue(lines(tmp.resolve("host-a")).isEmpty(), "host A died before its log took a line");
    CommsProcess.Result took = worker("host-b", storeEnv, now.plus(SequenceWorker.CLAIM_FOR).plusSeconds(60), Map.of()).await(300);
    assertEquals(0, took.exit(), took::toString);

    List<Map<String, Object>> lines = lines(tmp.resolve("host-b"));
    assertEquals(recipients, lines.size(), lines::toString);
    assertEquals(recipients, lines.stream().map(l -> l.get("idempotency_key")).distinct().count(), "one line per stage send");
    assertTrue(lines.stream().allMatch(l -> "simulated".equals(l.get("status"))), lines::toString);
    try (Connection c = StoreBackend.POSTGRESQL.connect(tmp.resolve("team-store"));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM stage_sends WHERE state = 'sent'")) {
        rs.next();
        assertEquals(recipients, rs.getInt(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM idempotency WHERE state = 'done'")) {
        rs.next();
        assertEquals(recipients, rs.getInt(1));
      }
      Map<Object, Long> outcomes = new TreeMap<>();
      try (ResultSet rs = st.executeQuery("SELECT payload FROM audit_log WHERE action = 'sequence.run' AND resource_type = 'delivery'")) {
        while (rs.next()) {
          outcomes.merge(Json.parseObject(rs.getString(1)).get("outcome"), 1L, Long::sum);
        }
      }
      assertEquals(Map.of("duplicate", 1L, "simulated", (long) recipients - 1), outcomes, "host A's send reconciled from the store, not sent again");
    }
  }

  private static CommsProcess.Running worker(Path outbox, Map<String, String> storeEnv, Instant now, Map<String, String> more) throws Exception {
    Map<String, String> env = new HashMap<>(storeEnv);
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_NOW", now.toString());
    env.putAll(more);
    return CommsProcess.comms(List.of("sequence.run", "--once", "--output", "json")).env(env).start();
  }

  private CommsProcess.Running worker(String host, Map<String, String> storeEnv, Instant now, Map<String, String> more) throws Exception {
    return worker(tmp.resolve(host), storeEnv, now, more);
  }

  private static List<Map<String, Object>> lines(Path outbox) throws java.io.IOException {
    Path log = outbox.resolve("communications/communications-delivery-log.jsonl");
    List<Map<String, Object>> out = new ArrayList<>();
    if (Files.exists(log)) {
      for (String l : Files.readAllLines(log)) {
        out.add(Json.parseObject(l));
      }
    }
    return out;
  }

  /** The earliest next_due_at (or paused_until) of an enrollment still going; null when every one has ended. */
  private static Instant nextDue(Path store) throws java.sql.SQLException {
    try (Connection c = StoreBackend.POSTGRESQL.connect(store);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MIN(COALESCE(next_due_at, paused_until)), COUNT(*) FROM enrollments WHERE state IN ('active', 'paused')")) {
      rs.next();
      return rs.getInt(2) == 0 ? null : Instant.parse(rs.getString(1));
    }
  }

  private static int size(String env, int fallback) {
    String v = System.getenv(env);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
  }

  private static CliRun cli(Path outbox, Map<String, String> storeEnv) {
    CliRun c = new CliRun(outbox).env("COMMS_NOW", MONDAY).stdin("yes\n");
    storeEnv.forEach(c::env);
    return c;
  }

  private static void ok(CliRun cli, String... args) {
    CliRun.Result r = cli.run(args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r);
  }
}
