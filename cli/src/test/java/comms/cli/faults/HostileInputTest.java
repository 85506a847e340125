package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 4: every hostile contract, argument and recipient is refused with its reason, and the outbox is untouched. */
@Tag("faults")
class HostileInputTest {
  @TempDir Path tmp;

  @Test
  void everyHostileEntryIsRefusedWithItsReasonAndWritesNothing() throws Exception {
    HostileCorpus corpus = new HostileCorpus(tmp);
    corpus.seedOutbox();
    List<HostileCorpus.Entry> entries = new ArrayList<>();
    entries.addAll(corpus.contracts());
    entries.addAll(corpus.arguments());
    entries.addAll(corpus.recipients(FaultsScale.HOSTILE_CORPUS_RECIPIENTS));
    HostileCorpus.Figures f = new HostileCorpus.Figures();
    for (HostileCorpus.Entry e : entries) {
      corpus.run(e, f);
    }
    FaultsSummary.line(f.summary());
    assertTrue(f.misses.isEmpty(), () -> f.misses.size() + " entries did not answer as their corpus entry says:\n\n" + String.join("\n\n", f.misses.stream().map(Object::toString).toList()));
    assertEquals(0, f.outboxChanged);
  }
}
