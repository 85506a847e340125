package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ChildJvm;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery log: hash chain, tamper detection, torn tails, filters, reading from the end, contention. */
class DeliveryJournalTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  final List<String> warnings = new CopyOnWriteArrayList<>();

  DeliveryJournal journal() {
    return DeliveryJournal.of(new OutboxPaths(tmp.resolve("outbox")), warnings::add);
  }

  static DeliveryRecord record(String id, String status, Instant at) {
    return DeliveryRecord.builder()
        .time(at)
        .deliveryId(id)
        .runKey("run-" + id)
        .mode("simulation")
        .channel("sms")
        .messageType("payment_needed")
        .provider("twilio")
        .to("+15551234567")
        .status(status)
        .providerMessageId(status.equals("simulated") ? "SIM" + id : null)
        .idempotencyKey("key-" + id)
        .bodyHash(Sha256.hex("body " + id))
        .error(status.equals("failed") ? "provider said \"no\"" : null)
        .attempts(1)
        .build();
  }

  List<String> lines(DeliveryJournal j) throws IOException {
    return Files.readAllLines(j.file(), StandardCharsets.UTF_8);
  }

  void writeLines(DeliveryJournal j, List<String> lines) throws IOException {
    Files.writeString(j.file(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  List<DeliveryRecord> appendFive(DeliveryJournal j) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      out.add(j.append(record("d" + i, "simulated", T0.plusSeconds(i))));
    }
    return out;
  }

  // ------------------------------------------------------------------------------ chain

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
  void readsBackExactlyWhatWasWrittenNewestFirst() {
    DeliveryJournal j = journal();
    List<DeliveryRecord> written = appendFive(j);
    DeliveryJournal.Page p = j.newest(3, DeliveryJournal.Filter.ALL);
    assertEquals(List.of(written.get(4), written.get(3), written.get(2)), p.entries());
    assertEquals(List.of(), p.warnings());
    assertEquals(5, j.newest(100, null).entries().size());
  }

  @Test
  void recipientIsNormalizedInTheLine() {
    DeliveryJournal j = journal();
    DeliveryRecord r =
        j.append(DeliveryRecord.builder().time(T0).deliveryId("e1").channel("email").to("  Maria@Lakeside.Example ").status("sent").build());
    assertEquals("maria@lakeside.example", r.to());
    assertEquals(1, j.newest(5, DeliveryJournal.Filter.ALL.to("MARIA@lakeside.example")).entries().size());
  }

  @Test
  void missingOrEmptyLogIsFine() throws IOException {
    DeliveryJournal j = journal();
    assertTrue(j.verify().ok());
    assertEquals(0, j.verify().lines());
    assertEquals(List.of(), j.newest(20, null).entries());
    Files.createDirectories(j.file().getParent());
    Files.createFile(j.file());
    assertTrue(j.verify().ok());
    assertEquals(List.of(), j.newest(20, null).entries());
    assertEquals(List.of(), j.newest(20, null).warnings());
  }

  // ------------------------------------------------------------------------------ tampering

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

  // ------------------------------------------------------------------------------ torn tail

  @Test
  void tornTailIsSkippedByReadersAndRepairedByTheNextAppend() throws IOException {
    DeliveryJournal j = journal();
    List<DeliveryRecord> written = appendFive(j);
    String whole = Files.readString(j.file());
    String half = whole.lines().findFirst().orElseThrow().substring(0, 120);
    Files.writeString(j.file(), half, StandardOpenOption.APPEND);

    DeliveryJournal.Page p = j.newest(20, null);
    assertEquals(5, p.entries().size());
    assertEquals(written.get(4), p.entries().get(0));
    assertEquals(1, p.warnings().size());
    assertTrue(p.warnings().get(0).contains("incomplete"), p.warnings()::toString);

    DeliveryJournal.Verification before = j.verify();
    assertTrue(before.ok(), "a crash is not tampering: " + before);
    assertEquals(5, before.lines());
    assertEquals(1, before.warnings().size());

    assertTrue(warnings.isEmpty());
    DeliveryRecord sixth = j.append(record("d6", "sent", T0.plusSeconds(6)));
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("torn line (120 bytes"), warnings::toString);
    assertEquals(written.get(4).hash(), sixth.prevHash());

    DeliveryJournal.Verification after = j.verify();
    assertTrue(after.ok(), after::toString);
    assertEquals(6, after.lines());
    assertEquals(List.of(), after.warnings());
    assertTrue(Files.readString(j.file()).endsWith("\n"));
    assertEquals(whole + Files.readAllLines(j.file()).get(5) + "\n", Files.readString(j.file()));
  }

  @Test
  void aLogThatIsOnlyATornLineIsRepairedToEmptyThenAppended() throws IOException {
    DeliveryJournal j = journal();
    Files.createDirectories(j.file().getParent());
    Files.writeString(j.file(), "{\"time\":\"2026-03-01T1");
    DeliveryJournal.Page p = j.newest(5, null);
    assertEquals(0, p.entries().size());
    assertEquals(1, p.warnings().size());
    DeliveryRecord r = j.append(record("d1", "sent", T0));
    assertEquals(DeliveryJournal.GENESIS, r.prevHash());
    assertEquals(1, warnings.size());
    assertTrue(j.verify().ok());
    assertEquals(1, j.verify().lines());
  }

  @Test
  void aLastLineMissingOnlyItsNewlineIsCompletedNotCut() throws IOException {
    DeliveryJournal j = journal();
    List<DeliveryRecord> written = appendFive(j);
    String whole = Files.readString(j.file());
    Files.writeString(j.file(), whole.substring(0, whole.length() - 1));

    // Readers and --verify see a whole record, not a torn line.
    DeliveryJournal.Page p = j.newest(20, null);
    assertEquals(5, p.entries().size(), p.warnings()::toString);
    assertEquals(written.get(4), p.entries().get(0));
    assertEquals(1, p.warnings().size(), p.warnings()::toString);
    assertTrue(p.warnings().get(0).contains("newline"), p.warnings()::toString);
    assertEquals(written.get(4), j.newest(5, DeliveryJournal.Filter.ALL.idempotencyKey("key-d5")).entries().get(0));
    DeliveryJournal.Verification before = j.verify(List.of("d5"));
    assertTrue(before.ok(), before::toString);
    assertEquals(5, before.lines());
    assertEquals(1, before.warnings().size(), before::toString);

    DeliveryRecord sixth = j.append(record("d6", "sent", T0.plusSeconds(6)));
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("completed"), warnings::toString);
    assertEquals(written.get(4).hash(), sixth.prevHash(), "the sixth line chains to the fifth, which was kept");
    assertEquals(whole + Files.readAllLines(j.file()).get(5) + "\n", Files.readString(j.file()));
    DeliveryJournal.Verification after = j.verify();
    assertTrue(after.ok(), after::toString);
    assertEquals(6, after.lines());
    assertEquals(List.of(), after.warnings());
  }

  @Test
  void aWholeLastLineThatDoesNotMatchItsHashIsNeitherCutNorCompleted() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    String whole = Files.readString(j.file());
    String edited = whole.substring(0, whole.length() - 1);
    int last = edited.lastIndexOf('\n') + 1;
    edited = edited.substring(0, last) + edited.substring(last).replace("\"status\":\"simulated\"", "\"status\":\"sent\"");
    Files.writeString(j.file(), edited);

    CommsException e = assertThrows(CommsException.class, () -> j.append(record("d6", "sent", T0.plusSeconds(6))));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("comms delivery.log --verify"), e.getMessage());
    assertTrue(e.getMessage().contains("not a line torn by a crash"), e.getMessage());
    CommsException early = assertThrows(CommsException.class, j::ensureWritable);
    assertEquals(ExitCode.CONTRACT, early.exitCode());
    assertTrue(early.getMessage().contains("nothing was sent"), early.getMessage());
    assertEquals(edited, Files.readString(j.file()), "nothing changed on disk");
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok(), v::toString);
    assertEquals(5, v.brokenLine());
    assertTrue(v.reason().contains("hash mismatch at line 5"), v.reason());
  }

  @Test
  void aTailLongerThanTheLongestLineTheJournalWritesIsNeverCut() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    long wholeLines = Files.size(j.file());
    Files.writeString(j.file(), "x".repeat(DeliveryJournal.MAX_LINE_BYTES), StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(j.file());

    CommsException early = assertThrows(CommsException.class, j::ensureWritable);
    assertEquals(ExitCode.CONTRACT, early.exitCode());
    assertTrue(early.getMessage().contains("comms delivery.log --verify"), early.getMessage());
    assertTrue(early.getMessage().contains("more than the longest line comms writes"), early.getMessage());
    assertTrue(early.getMessage().contains("nothing was sent"), early.getMessage());
    CommsException e = assertThrows(CommsException.class, () -> j.append(record("d6", "sent", T0.plusSeconds(6))));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("comms delivery.log --verify"), e.getMessage());
    assertTrue(e.getMessage().contains("truncate -s " + wholeLines + " "), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(j.file())), "nothing changed on disk");
    assertEquals(List.of(), warnings);

    DeliveryJournal.Page p = j.newest(10, null);
    assertEquals(5, p.entries().size());
    assertTrue(p.warnings().get(0).contains("comms delivery.log --verify"), p.warnings()::toString);
    DeliveryJournal.Verification v = j.verify();
    assertFalse(v.ok(), "bytes comms did not write are not a crash's torn line: " + v);
    assertEquals(5, v.lines());
    assertEquals(6, v.brokenLine());
    assertTrue(v.reason().contains("more than the longest line comms writes"), v.reason());
  }

  @Test
  void aTornTailAsLongAsTheLongestLineIsStillCut() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    String whole = Files.readString(j.file());
    // The longest line comms writes, without its newline: what a crash can leave at most.
    Files.writeString(j.file(), "{" + "x".repeat(DeliveryJournal.MAX_LINE_BYTES - 2), StandardOpenOption.APPEND);
    assertTrue(j.verify().ok());
    j.ensureWritable();
    j.append(record("d6", "sent", T0.plusSeconds(6)));
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("torn line (" + (DeliveryJournal.MAX_LINE_BYTES - 1) + " bytes"), warnings::toString);
    assertTrue(Files.readString(j.file()).startsWith(whole));
    assertEquals(6, j.verify().lines());
  }

  @Test
  void noLineIsLongerThanTheLongestLineTheJournalWrites() throws IOException {
    DeliveryJournal j = journal();
    String huge = "é\u0001".repeat(200_000);
    DeliveryRecord r = j.append(DeliveryRecord.builder().time(T0).deliveryId("big").channel("email").status("failed").error(huge).build());
    byte[] raw = Files.readAllBytes(j.file());
    assertTrue(raw.length <= DeliveryJournal.MAX_LINE_BYTES, raw.length + " bytes");
    assertTrue(raw.length > DeliveryJournal.MAX_LINE_BYTES - 64, "clipped no more than needed: " + raw.length);
    assertTrue(r.error().endsWith("characters clipped to fit the delivery log]"), r.error().substring(r.error().length() - 80));
    assertTrue(huge.startsWith(r.error().substring(0, r.error().indexOf('\u2026'))));
    assertEquals(r, j.newest(1, null).entries().get(0), "the record returned is the one on disk");
    assertTrue(j.verify().ok());
  }

  @Test
  void crashHalfWayThroughAWriteLeavesATornTailTheNextWriterRepairs() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    DeliveryJournal crashing =
        j.withFaults(
            name -> {
              if (name.equals(DeliveryJournal.FAULT_HALF_WRITTEN)) {
                throw new Crash();
              }
            });
    // A RuntimeException stands in for SIGKILL here; the journal undoes what it can, like a kill would not.
    assertThrows(Crash.class, () -> crashing.append(record("dX", "sent", T0.plusSeconds(9))));
    assertTrue(j.verify().ok());
    assertEquals(5, j.verify().lines());
    assertEquals(List.of(), j.verify().warnings(), "the partial line was undone");
    j.append(record("d6", "sent", T0.plusSeconds(6)));
    assertEquals(6, j.verify().lines());
  }

  static final class Crash extends RuntimeException {}

  @Test
  void aProcessKilledMidWriteLeavesOneTornLineThatTheNextWriterCutsBack() throws Exception {
    DeliveryJournal j = journal();
    appendFive(j);
    String before = Files.readString(j.file());
    ChildJvm.Result r =
        ChildJvm.await(
            ChildJvm.start(
                JournalAppendMain.class, tmp, tmp.resolve("outbox").toString(), "killed", "1", DeliveryJournal.FAULT_HALF_WRITTEN));
    assertEquals(137, r.exit(), r.out());
    String after = Files.readString(j.file());
    assertTrue(after.startsWith(before) && after.length() > before.length() && !after.endsWith("\n"), "a torn tail was left");

    DeliveryJournal.Page p = j.newest(10, null);
    assertEquals(5, p.entries().size());
    assertEquals(1, p.warnings().size());
    assertTrue(j.verify().ok());

    j.append(record("d6", "sent", T0.plusSeconds(6)));
    assertEquals(1, warnings.size(), warnings::toString);
    DeliveryJournal.Verification v = j.verify();
    assertTrue(v.ok(), v::toString);
    assertEquals(6, v.lines());
    assertEquals(List.of(), v.warnings());
  }

  // ------------------------------------------------------------------------------ filters

  @Test
  void filtersSelectByEachField() {
    DeliveryJournal j = journal();
    List<DeliveryRecord> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(
          DeliveryRecord.builder()
              .time(T0.plusSeconds(i * 60L))
              .deliveryId("d" + i)
              .channel(i % 2 == 0 ? "sms" : "email")
              .messageType(i % 3 == 0 ? "order_ready" : "payment_needed")
              .to(i % 2 == 0 ? "+1555000" + (1000 + i % 4) : "Person" + (i % 4) + "@Example.com")
              .status(DeliveryRecord.STATUSES.get(i % DeliveryRecord.STATUSES.size()))
              .idempotencyKey("k" + i)
              .build());
    }
    j.appendAll(all);
    check(j, all, DeliveryJournal.Filter.ALL.channel("email"));
    check(j, all, DeliveryJournal.Filter.ALL.status("failed"));
    check(j, all, DeliveryJournal.Filter.ALL.status("failed").channel("sms"));
    check(j, all, DeliveryJournal.Filter.ALL.to("person1@example.com"));
    check(j, all, DeliveryJournal.Filter.ALL.to("+15550001002"));
    check(j, all, DeliveryJournal.Filter.ALL.messageType("order_ready").channel("sms"));
    check(j, all, DeliveryJournal.Filter.ALL.idempotencyKey("k17"));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600)));
    check(j, all, DeliveryJournal.Filter.ALL.until(T0.plusSeconds(600)));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600)).until(T0.plusSeconds(1200)).status("sent"));
    // sub-millisecond bounds still compare exactly
    check(j, all, DeliveryJournal.Filter.ALL.until(T0.plusSeconds(600).plusNanos(500_000)));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600).plusNanos(500_000)));
    assertEquals(List.of(), j.newest(10, DeliveryJournal.Filter.ALL.status("queued").channel("fax")).entries());
    assertEquals(1, j.newest(10, DeliveryJournal.Filter.ALL.idempotencyKey("k17")).entries().size());
  }

  private static void check(DeliveryJournal j, List<DeliveryRecord> all, DeliveryJournal.Filter f) {
    List<String> expected = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (f.matches(all.get(i))) {
        expected.add(all.get(i).deliveryId());
      }
    }
    assertFalse(expected.isEmpty(), "filter selects something: " + f);
    List<String> got = j.newest(100, f).entries().stream().map(DeliveryRecord::deliveryId).toList();
    assertEquals(expected, got, f.toString());
    List<String> two = j.newest(2, f).entries().stream().map(DeliveryRecord::deliveryId).toList();
    assertEquals(expected.subList(0, Math.min(2, expected.size())), two, f.toString());
  }

  @Test
  void aQuotedStatusInsideAnotherFieldDoesNotMatch() {
    DeliveryJournal j = journal();
    j.append(DeliveryRecord.builder().time(T0).deliveryId("a").channel("sms").status("sent").error("\"status\":\"failed\"").build());
    assertEquals(List.of(), j.newest(5, DeliveryJournal.Filter.ALL.status("failed")).entries());
    assertEquals(1, j.newest(5, DeliveryJournal.Filter.ALL.status("sent")).entries().size());
  }

  @Test
  void unicodeAndLineSeparatorsInValuesStayOnOneLine() throws IOException {
    DeliveryJournal j = journal();
    DeliveryRecord r =
        j.append(DeliveryRecord.builder().time(T0).deliveryId("u").channel("sms").status("failed").error("boom\nnext\u2028line 😀 é").build());
    assertEquals(1, lines(j).size());
    assertEquals(r, j.newest(1, DeliveryJournal.Filter.ALL.status("failed")).entries().get(0));
    assertTrue(j.verify().ok());
  }

  // ------------------------------------------------------------------------------ big file

  @Test
  void newestOnABigLogReadsOnlyItsEnd() {
    DeliveryJournal j = journal();
    int total = 200_000;
    int chunk = 20_000;
    for (int base = 0; base < total; base += chunk) {
      List<DeliveryRecord> batch = new ArrayList<>(chunk);
      for (int i = base; i < base + chunk; i++) {
        batch.add(record("d" + i, i % 10_000 == 1234 ? "failed" : "simulated", T0.plusMillis(i * 10L)));
      }
      j.appendAll(batch);
    }
    long size = j.file().toFile().length();

    DeliveryJournal.Page p = j.newest(20, DeliveryJournal.Filter.ALL);
    List<String> ids = p.entries().stream().map(DeliveryRecord::deliveryId).toList();
    List<String> expected = new ArrayList<>();
    for (int i = total - 1; i >= total - 20; i--) {
      expected.add("d" + i);
    }
    assertEquals(expected, ids);
    assertTrue(p.bytesRead() <= 2L << 20, "read " + p.bytesRead() + " of " + size + " bytes");
    assertTrue(size > 50L << 20, "the log is big: " + size);

    // A rare status: every match, newest first, across block boundaries.
    DeliveryJournal.Page failed = j.newest(100, DeliveryJournal.Filter.ALL.status("failed"));
    List<String> failedIds = failed.entries().stream().map(DeliveryRecord::deliveryId).toList();
    List<String> expectedFailed = new ArrayList<>();
    for (int i = total - 1; i >= 0; i--) {
      if (i % 10_000 == 1234) {
        expectedFailed.add("d" + i);
      }
    }
    assertEquals(expectedFailed, failedIds);
    assertEquals(size, failed.bytesRead(), "a filter with too few matches scans everything");

    DeliveryJournal.Page fewFailed = j.newest(3, DeliveryJournal.Filter.ALL.status("failed"));
    assertEquals(expectedFailed.subList(0, 3), fewFailed.entries().stream().map(DeliveryRecord::deliveryId).toList());

    // a since bound near the end
    DeliveryJournal.Page recent = j.newest(1000, DeliveryJournal.Filter.ALL.since(T0.plusMillis((total - 50) * 10L)));
    assertEquals(50, recent.entries().size());

    DeliveryJournal.Verification v = j.verify();
    assertTrue(v.ok(), v::toString);
    assertEquals(total, v.lines());
  }

  @Test
  void aLineLongerThanAReadBlockIsReadWhole() throws IOException {
    DeliveryJournal j = journal();
    DeliveryRecord first = j.append(record("small-1", "sent", T0));
    String big = "x".repeat(3 << 20);
    // comms clips its own lines to MAX_LINE_BYTES; an older comms did not, and its log must still read.
    Map<String, Object> f = DeliveryRecord.builder().time(T0.plusSeconds(1)).deliveryId("big").channel("sms").status("failed").error(big).build().fields();
    f.put("prev_hash", first.hash());
    f.remove("hash");
    String body = Json.write(f);
    Files.writeString(j.file(), body.substring(0, body.length() - 1) + ",\"hash\":\"" + Sha256.hex(body) + "\"}\n", StandardOpenOption.APPEND);
    j.append(record("small-2", "sent", T0.plusSeconds(2)));
    List<DeliveryRecord> all = j.newest(10, null).entries();
    assertEquals(List.of("small-2", "big", "small-1"), all.stream().map(DeliveryRecord::deliveryId).toList());
    assertEquals(big, all.get(1).error());
    assertEquals("big", j.newest(10, DeliveryJournal.Filter.ALL.status("failed")).entries().get(0).deliveryId());
    assertTrue(j.verify().ok());
  }

  // ------------------------------------------------------------------------------ failures

  @Test
  void anUnwritableLogFailsBeforeAnythingIsReported() throws IOException {
    Path outbox = tmp.resolve("outbox");
    Files.createDirectories(outbox);
    // A file where the communications folder should be: unwritable even for root.
    Files.writeString(outbox.resolve("communications"), "not a folder");
    DeliveryJournal j = DeliveryJournal.of(new OutboxPaths(outbox), warnings::add);
    CommsException e = assertThrows(CommsException.class, j::ensureWritable);
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("cannot write the delivery log"), e.getMessage());
    CommsException a = assertThrows(CommsException.class, () -> j.append(record("d1", "sent", T0)));
    assertTrue(a.getMessage().contains("nothing was recorded"), a.getMessage());
    assertEquals("not a folder", Files.readString(outbox.resolve("communications")));
  }

  @Test
  void ensureWritableWritesNothingToTheLog() throws IOException {
    DeliveryJournal j = journal();
    appendFive(j);
    String before = Files.readString(j.file());
    j.ensureWritable();
    assertEquals(before, Files.readString(j.file()));
  }

  // ------------------------------------------------------------------------------ contention

  @Test
  void threadsAppendingAtOnceLoseNothing() throws Exception {
    int threads = 4;
    int each = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      // separate journal objects: contention goes through the locks, not a shared instance
      DeliveryJournal j = journal();
      fs.add(pool.submit(() -> {
        for (int i = 0; i < each; i++) {
          j.append(record(name + "-" + i, "simulated", T0.plusSeconds(i)));
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertWholeAndChained(journal(), threads * each);
  }

  @Test
  void processesAppendingAtOnceLoseNothing() throws Exception {
    int procs = 4;
    int each = 50;
    Path outbox = tmp.resolve("outbox");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < procs; i++) {
      ps.add(ChildJvm.start(JournalAppendMain.class, tmp, outbox.toString(), "p" + i, String.valueOf(each)));
    }
    for (int i = 0; i < procs; i++) {
      ChildJvm.Result r = ChildJvm.await(ps.get(i));
      assertEquals(0, r.exit(), r.out());
      assertTrue(r.out().contains("done p" + i), r.out());
    }
    assertWholeAndChained(journal(), procs * each);
  }

  private void assertWholeAndChained(DeliveryJournal j, int expected) throws IOException {
    List<String> lines = lines(j);
    assertEquals(expected, lines.size());
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      ids.add((String) Json.parseObject(l).get("delivery_id"));
    }
    assertEquals(expected, ids.size(), "every delivery id exactly once");
    DeliveryJournal.Verification v = j.verify();
    assertTrue(v.ok(), v::toString);
    assertEquals(expected, v.lines());
    assertEquals(List.of(), warnings);
  }
}
