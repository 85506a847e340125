package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery log's hash chain: each line linked to the one before, edits, removals and missing sends detected. */
class ChainVerifierTest extends JournalFixture {
  @Test
  void appendsChainEachLineToTheOneBefore() throws IOException {
    DeliveryJournal j = journal();
    List<DeliveryRecord> written = appendFive(j);
    assertEquals(DeliveryJournal.GENESIS, written.get(0).prevHash());
    for (int i = 1; i < written.size(); i++) {
      assertEquals(written.get(i - 1).hash(), written.get(i).prevHash());
      assertNotEquals(written.get(i - 1).hash(), written.get(i).hash());
    }
    DeliveryJournal.Verification v = j.verify();
    assertTrue(v.ok(), v::toString);
    assertEquals(5, v.lines());
    List<String> lines = lines(j);
    assertEquals(5, lines.size());
    // keys in fixed order, hash last
    Map<String, Object> first = Json.parseObject(lines.get(0));
    assertEquals(DeliveryRecord.KEYS, List.copyOf(first.keySet()));
    assertTrue(lines.get(0).startsWith("{\"time\":\"2026-03-01T10:00:01.000Z\","), lines.get(0));
    assertEquals(written.get(0).hash(), first.get("hash"));
  }

  @Test
  void editingAFieldBreaksThatLinesHash() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    lines.set(2, lines.get(2).replace("\"status\":\"simulated\"", "\"status\":\"sent\""));
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(3, v.brokenLine());
    assertEquals(2, v.lines());
    assertTrue(v.reason().contains("hash mismatch at line 3"), v.reason());
  }

  @Test
  void editingALineAndItsHashBreaksTheChainAtTheNextLine() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    String edited = lines.get(1).replace("+15551234567", "+15557654321");
    String body = edited.substring(0, edited.lastIndexOf(",\"hash\":")) + "}";
    String rehashed = body.substring(0, body.length() - 1) + ",\"hash\":\"" + Sha256.hex(body) + "\"}";
    lines.set(1, rehashed);
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(3, v.brokenLine());
    assertTrue(v.reason().contains("chain broken at line 3"), v.reason());
  }

  @Test
  void deletingAMiddleLineBreaksTheChain() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    lines.remove(2);
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(3, v.brokenLine());
    assertTrue(v.reason().contains("chain broken at line 3"), v.reason());
    assertTrue(v.reason().contains("removed"), v.reason());
  }

  @Test
  void deletingTheFirstLineIsDetected() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    lines.remove(0);
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(1, v.brokenLine());
  }

  @Test
  void deliveryIdsThatMustBeInTheLogAreLookedForOnEveryLine() throws IOException {
    DeliveryJournal j = journal();
    for (int i = 0; i < 5; i++) {
      j.append(record("d-" + i, "simulated", T0.plusSeconds(i)));
    }
    assertTrue(j.verify(List.of("d-4", "d-0")).ok());
    DeliveryJournal.Verification v = j.verify(List.of("d-4", "d-9", "d-8"));
    assertFalse(v.ok());
    assertEquals(List.of("d-9", "d-8"), v.missing());
    assertEquals(5, v.lines());
    assertTrue(v.reason().startsWith("2 sends the state store records as completed have no lines in the log (delivery d-9 and others)"), v.reason());
    assertTrue(j.verify(List.of()).ok(), "nothing required, nothing missing");
  }

  @Test
  void aLineThatIsNotJsonIsNamed() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    lines.set(3, "{\"time\": oops");
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(4, v.brokenLine());
    assertTrue(v.reason().contains("line 4 is not valid JSON"), v.reason());
    // readers skip it with a warning and still return the rest
    DeliveryJournal.Page p = j.newest(10, null);
    assertEquals(4, p.entries().size());
    assertEquals(1, p.warnings().size(), p.warnings()::toString);
  }

  @Test
  void aLineWithoutItsHashIsNamed() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    List<String> lines = new ArrayList<>(lines(j));
    String l = lines.get(4);
    lines.set(4, l.substring(0, l.lastIndexOf(",\"hash\":")) + "}");
    writeLines(j, lines);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok());
    assertEquals(5, v.brokenLine());
    assertTrue(v.reason().contains("hash"), v.reason());
  }
}
