package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.OutboxPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate comms processes racing for the last units of one operator's per-minute cap: exactly the
 * cap's worth are sent, every other one is recorded as failed with minute_cap_exhausted, and the
 * audit log has one row per process.
 */
class CapRaceTest {
  static final int CAP = 3;
  static final int PROCESSES = 6;

  @TempDir Path tmp;

  Process start(Path bindings, Path outbox, int i) throws IOException {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Short-lived children: the quickest start on a small shared machine.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-cp", cp, Main.class.getName(),
                "--bindings", bindings.toString(), "--outbox", outbox.toString(),
                "send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", "+1312555020" + i,
                "--consent-state", "opted-in",
                "--vars-json", "{\"customer_name\":\"C" + i + "\",\"order_number\":\"3002" + i + "\",\"pickup_window\":\"today\"}",
                "--execute"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().put("COMMS_NOW", "2026-11-18T17:00:00Z");
    pb.environment().put("NO_COLOR", "1");
    pb.environment().remove("COMMS_OPERATOR");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("err" + i + ".txt").toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write("yes\n".getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void processesRacingForTheLastUnitsOfACapNeverBothSend() throws Exception {
    Path bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "communications.operators.yaml", "per_minute_cap: 30", "per_minute_cap: " + CAP);
    Path outbox = tmp.resolve("outbox");
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      procs.add(start(bindings, outbox, i));
    }
    Map<Integer, Integer> exits = new TreeMap<>();
    for (int i = 0; i < PROCESSES; i++) {
      Process p = procs.get(i);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "comms process " + i + " did not finish");
      exits.merge(p.exitValue(), 1, Integer::sum);
      String err = Files.readString(tmp.resolve("err" + i + ".txt"));
      assertTrue(p.exitValue() == 0 || p.exitValue() == 4, () -> "process exited " + p.exitValue() + ":\n" + err);
      if (p.exitValue() == 4) {
        assertTrue(err.contains("per-minute send cap (3 a minute)"), err);
      }
    }
    assertEquals(Map.of(0, CAP, 4, PROCESSES - CAP), exits);

    List<Map<String, Object>> log = new ArrayList<>();
    DeliveryJournal.of(new OutboxPaths(outbox), w -> {}).newest(100, DeliveryJournal.Filter.ALL).entries().forEach(r -> log.add(r.fields()));
    assertEquals(PROCESSES, log.size());
    assertEquals(CAP, log.stream().filter(l -> "simulated".equals(l.get("status"))).count(), log::toString);
    assertEquals(
        PROCESSES - CAP,
        log.stream().filter(l -> "failed".equals(l.get("status")) && ("minute_cap_exhausted:" + CAP).equals(l.get("error"))).count(),
        log::toString);
    assertEquals(0, new CliRun(outbox).run("delivery.log", "--verify").exit());

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + outbox.resolve("state/comms.db"));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT used FROM send_caps WHERE operator = 'dana@lakesideprint.com' AND bucket = 'minute:2026-11-18T17:00'")) {
        assertTrue(rs.next());
        assertEquals(CAP, rs.getInt(1), "exactly the cap was used");
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT run_key) FROM audit_log WHERE action = 'send.execute'")) {
        assertEquals(PROCESSES, rs.getInt(1));
        assertEquals(PROCESSES, rs.getInt(2));
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM operators")) {
        assertEquals(2, rs.getInt(1), "seeded once, however many processes raced to seed");
      }
    }
  }
}
