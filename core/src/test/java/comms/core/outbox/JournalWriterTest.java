package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ChildJvm;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Appending to the delivery log: torn tails cut, whole lines completed, foreign bytes refused, crashes, contention. */
class JournalWriterTest extends JournalFixture {
  /**
   * The bytes on disk are pinned: this digest was taken from the journal before it was split into
   * writer, reader and verifier, and a batch writes what the same lines one by one write.
   */
  @Test
  void theBytesOnDiskAreTheOnesTheJournalHasAlwaysWritten() throws IOException {
    DeliveryJournal one = journal();
    appendFive(one);
    one.append(record("d6", "failed", T0.plusSeconds(6)));
    assertEquals(PINNED, Sha256.hex(Files.readAllBytes(one.file())));

    DeliveryJournal batch = DeliveryJournal.of(new OutboxPaths(tmp.resolve("batch")), warnings::add);
    List<DeliveryRecord> all = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      all.add(record("d" + i, "simulated", T0.plusSeconds(i)));
    }
    batch.appendAll(all.subList(0, 2));
    batch.appendAll(List.of(all.get(2), all.get(3), all.get(4), record("d6", "failed", T0.plusSeconds(6))));
    assertEquals(Files.readString(one.file()), Files.readString(batch.file()));
  }

  private static final String PINNED = "b016fc79fe62bae818258379f59f45d766ca5160ddbd7a217319f1a6027b1660";

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
