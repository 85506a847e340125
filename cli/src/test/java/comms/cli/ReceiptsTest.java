package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.receipt.RunKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every capability run that got past validation leaves receipts/<run-key>.yaml. */
class ReceiptsTest {
  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox"));
  }

  List<Path> receipts() throws Exception {
    Path dir = tmp.resolve("outbox/receipts");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void readOnlyRunLeavesAReceiptThatReadsBack() throws Exception {
    assertEquals(0, cli().run("policy.status").exit());
    List<Path> files = receipts();
    assertEquals(1, files.size());
    String key = files.get(0).getFileName().toString().replace(".yaml", "");
    assertTrue(RunKey.valid(key), key);
    CliRun.Result show = cli().run("receipts.show", key, "-o", "json", "--no-receipt");
    assertEquals(0, show.exit(), show::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) Json.parse(show.out());
    assertEquals("communications.policy.status", r.get("capability"));
    assertEquals(0, ((Number) r.get("exit_code")).intValue());
    assertEquals("not-required", r.get("approval"));
    assertTrue(r.containsKey("started_at") && r.containsKey("finished_at"));
    CliRun.Result list = cli().run("receipts.list", "--no-receipt");
    assertTrue(list.out().contains(key), list::toString);
  }

  @Test
  void noReceiptFlagWritesNothing() throws Exception {
    assertEquals(0, cli().run("policy.status", "--no-receipt").exit());
    assertEquals(List.of(), receipts());
  }

  @Test
  void capRunLeavesExactlyOneReceipt() throws Exception {
    assertEquals(0, cli().run("cap", "run", "communications.templates.list").exit());
    assertEquals(1, receipts().size());
    assertTrue(Files.readString(receipts().get(0)).contains("capability: communications.templates.list"));
  }

  @Test
  void refusedRunsLeaveNoReceipt() throws Exception {
    assertEquals(2, cli().run("policy.status", "--bogus").exit());
    assertEquals(2, cli().run("receipts.show", "../../etc/passwd").exit());
    assertEquals(3, cli().bindings(tmp.resolve("none")).run("policy.status").exit());
    assertFalse(Files.exists(tmp.resolve("outbox")));
  }

  @Test
  void helpAndVersionLeaveNoReceipt() throws Exception {
    CliRun.Result help = cli().run("policy.status", "--help");
    assertEquals(0, help.exit());
    assertEquals(1, help.out().split("Usage:", -1).length - 1, "help printed once:\n" + help.out());
    assertEquals(0, cli().run("--version").exit());
    assertEquals(List.of(), receipts());
  }

  @Test
  void runKeysAreUniqueAndSortable() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(keys.add(RunKey.next(java.time.Clock.systemUTC())));
    }
  }
}
