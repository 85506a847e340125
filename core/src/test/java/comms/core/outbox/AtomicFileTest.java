package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents are replaced whole: a reader sees the old or the new one, never a mixture or a fragment. */
class AtomicFileTest {
  @TempDir Path tmp;

  @Test
  void createsFoldersAndReplacesWithoutLeavingTemporaries() throws Exception {
    Path target = tmp.resolve("a/b/last.yaml");
    AtomicFile.write(target, "first: 1\n");
    assertEquals("first: 1\n", Files.readString(target));
    AtomicFile.write(target, "second: 2\n");
    assertEquals("second: 2\n", Files.readString(target));
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertEquals(List.of(target), s.toList());
    }
  }

  @Test
  void readersSeeOldOrNewNeverPartial() throws Exception {
    Path target = tmp.resolve("doc.yaml");
    String a = "a".repeat(256 * 1024);
    String b = "b".repeat(300 * 1024);
    AtomicFile.write(target, a);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  String s = Files.readString(target, StandardCharsets.UTF_8);
                  reads.incrementAndGet();
                  if (!s.equals(a) && !s.equals(b)) {
                    bad.incrementAndGet();
                  }
                } catch (NoSuchFileException e) {
                  bad.incrementAndGet();
                } catch (Exception e) {
                  bad.incrementAndGet();
                }
              }
            });
    reader.start();
    for (int i = 0; i < 60; i++) {
      AtomicFile.write(target, i % 2 == 0 ? b : a);
    }
    stop.set(true);
    reader.join();
    assertTrue(reads.get() > 0);
    assertEquals(0, bad.get(), "partial or missing documents seen in " + reads.get() + " reads");
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldDocument() throws Exception {
    Path target = tmp.resolve("last.yaml");
    AtomicFile.write(target, "old\n");
    FaultPoint crash =
        name -> {
          if (name.equals(AtomicFile.FAULT_BEFORE_RENAME)) {
            throw new IllegalStateException("killed");
          }
        };
    assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, "new\n".getBytes(StandardCharsets.UTF_8), crash));
    assertEquals("old\n", Files.readString(target));
  }

  @Test
  void anUnwritableFolderIsASentence() throws Exception {
    Files.writeString(tmp.resolve("blocker"), "x");
    CommsException e = assertThrows(CommsException.class, () -> AtomicFile.write(tmp.resolve("blocker/last.yaml"), "x"));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().startsWith("cannot write "), e.getMessage());
    assertFalse(Files.isDirectory(tmp.resolve("blocker")));
  }
}
