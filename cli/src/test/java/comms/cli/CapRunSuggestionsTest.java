package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 12: a misspelt capability name gets a "did you mean", as a misspelt command does. */
class CapRunSuggestionsTest {
  @TempDir Path tmp;

  CliRun.Result run(String... args) {
    return new CliRun(tmp.resolve("outbox")).run(args);
  }

  @Test
  void aTypoSuggestsTheNearestName() {
    CliRun.Result r = run("cap", "run", "communications.stack.stauts");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("did you mean communications.stack.status?"), r::toString);
  }

  @Test
  void aNameWithoutItsPrefixSuggestsTheFullName() {
    CliRun.Result r = run("cap", "run", "send.preview");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("did you mean communications.send.preview?"), r::toString);
  }

  @Test
  void nothingCloseSuggestsNothingButTheList() {
    CliRun.Result r = run("cap", "run", "communications.make.coffee");
    assertEquals(2, r.exit(), r::toString);
    assertFalse(r.err().contains("did you mean"), r::toString);
    assertTrue(r.err().contains("`comms cap list` shows them all"), r::toString);
  }
}
