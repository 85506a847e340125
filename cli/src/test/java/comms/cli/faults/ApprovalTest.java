package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, promise 3: only the documented answers approve; every other one sends nothing and is logged declined. */
@Tag("faults")
class ApprovalTest {
  @TempDir Path tmp;

  /** The README's sentence the table is held to. */
  static final String README_RULE =
      "Only one answer approves: the first line read from stdin is exactly `yes` (lower case, nothing before or after it),"
          + " ended by a newline, by CR LF, or by the end of input.";

  @Test
  void onlyTheDocumentedFormsApprove() throws Exception {
    ApprovalTable.Figures f;
    try (LoopbackProviders server = new LoopbackProviders()) {
      f = new ApprovalTable(tmp, server).run(FaultsScale.APPROVAL_PROCESS_CASES);
    }
    FaultsSummary.line(f.summary());
    assertTrue(f.problems.isEmpty(), () -> String.join("\n\n", f.problems));
    assertTrue(f.inputs >= 30, "issue 7 asks for at least 30 inputs");
    assertEquals(0, f.wrong);
    assertEquals(0, f.requestsOnDecline);
    assertEquals(0, f.declineNotLogged);
  }

  @Test
  void theReadmeStatesExactlyWhichFormsApprove() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\s+", " ");
    assertTrue(readme.contains(README_RULE), "README.md must state the approval rule the table checks: " + README_RULE);
  }
}
