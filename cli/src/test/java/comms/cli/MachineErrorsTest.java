package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --output json or yaml an error is one JSON object on stderr; in table mode the sentence is unchanged. */
class MachineErrorsTest {
  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> error(CliRun.Result r) {
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
    return (Map<String, Object>) Json.parseObject(lines[0]).get("error");
  }

  @Test
  void aContractRefusalCarriesFileLineColumnAndField() throws Exception {
    Path f = Files.writeString(tmp.resolve("s.yaml"), "name: X\nzone: America/New_York\nstages: []\n");
    CliRun.Result r = cli().run("sequence.create", "--file", f.toString(), "--output", "json");
    assertEquals(3, r.exit());
    Map<String, Object> e = error(r);
    assertEquals(3L, e.get("exit_code"));
    assertEquals("contract", e.get("kind"));
    assertEquals(f.toString(), e.get("file"));
    assertEquals(3L, e.get("line"));
    assertEquals(9L, e.get("column"));
    assertEquals("stages", e.get("field"));
    assertTrue(((String) e.get("message")).contains("needs at least one entry"));
  }

  @Test
  void aUsageErrorFromTheParserIsMachineReadableToo() {
    CliRun.Result r = cli().run("stack.status", "--bogus", "--output=yaml");
    assertEquals(2, r.exit());
    Map<String, Object> e = error(r);
    assertEquals("usage", e.get("kind"));
    assertTrue(((String) e.get("message")).contains("Unknown option: '--bogus'"));
  }

  @Test
  void tableModeKeepsTheHumanSentence() {
    CliRun.Result r = cli().run("sequence.show", "nope");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("comms: there is no sequence nope"), r.err());
  }

  @Test
  void aBadOutputValueFallsBackToTheSentence() {
    CliRun.Result r = cli().run("stack.status", "--output", "xml");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("comms: "), r.err());
  }
}
