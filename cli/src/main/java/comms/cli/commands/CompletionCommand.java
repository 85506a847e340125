package comms.cli.commands;

import comms.cli.App;
import comms.core.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms completion bash|zsh`: a shell completion script on stdout. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script. Install with:",
      "  source <(comms completion bash)      # or add it to ~/.bashrc",
      "zsh: autoload -U +X bashcompinit && bashcompinit; source <(comms completion zsh)"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Shells with a completion script. */
  enum Shell {
    bash,
    zsh
  }

  @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
  Shell shell;

  @Override
  public Integer call() {
    App app = App.of(spec);
    // picocli's script serves bash, and zsh through bashcompinit.
    app.out().print(AutoComplete.bash("comms", spec.root().commandLine()));
    app.out().flush();
    return ExitCode.OK.code();
  }
}
