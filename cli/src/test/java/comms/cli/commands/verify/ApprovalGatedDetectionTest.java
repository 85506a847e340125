package comms.cli.commands.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import comms.cli.ApprovalGated;
import comms.core.verify.Verification;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** verify learns from the command classes themselves which commands ask for approval: no list to keep up to date. */
class ApprovalGatedDetectionTest {
  @Command(name = "send.execute")
  @ApprovalGated
  static final class Gated implements Callable<Integer> {
    @Option(names = "--execute")
    boolean execute;

    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "send.preview", aliases = "preview")
  static final class Plain implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "cap")
  static final class Meta implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "comms", subcommands = {Gated.class, Plain.class, Meta.class})
  static final class Root implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Test
  void markerAndExecuteOptionAreReadFromEachCommandAliasesAndMetaCommandsSkipped() {
    CommandLine root = new CommandLine(new Root());
    List<Verification.ProgramCommand> commands = VerifyCommand.commands(root);
    assertEquals(
        List.of(new Verification.ProgramCommand("send.execute", true, true), new Verification.ProgramCommand("send.preview", false, false)),
        commands);
  }
}
