package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.CapabilityRegistry;
import comms.core.contract.DeliveryContract;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms completion bash|zsh`: a shell completion script on stdout, with option values as well as names. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script for bash or zsh.",
      "The script completes command names, options and their values: channels, delivery statuses, consent states, output formats,"
          + " the message types of the delivery contract and, after cap run, the capability names of the registry (both read from"
          + " the bindings folder when the script is made).",
      "bash: source <(comms completion bash), or save it and source it from ~/.bashrc.",
      "zsh: autoload -U +X bashcompinit && bashcompinit, then source <(comms completion zsh)."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  comms completion bash", "  comms completion zsh --bindings bindings"})
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
    CommandLine root = spec.root().commandLine();
    try {
      List<String> types = app.bindings().delivery().messageTypes().stream().map(DeliveryContract.MessageType::name).toList();
      offer(root, "--message-type", types);
    } catch (CommsException e) {
      app.warn("the script does not complete message types: " + e.getMessage());
    }
    try {
      List<String> caps = app.bindings().capabilities().capabilities().stream().map(CapabilityRegistry.Capability::name).toList();
      CommandLine run = root.getSubcommands().get("cap").getSubcommands().get("run");
      CommandSpec runSpec = run.getCommandSpec();
      List<PositionalParamSpec> all = List.copyOf(runSpec.positionalParameters());
      // Re-added in index order, CAPABILITY first, now with the registry's names as its values.
      all.forEach(runSpec::remove);
      runSpec.addPositional(all.get(0).toBuilder().completionCandidates(caps).build());
      all.subList(1, all.size()).forEach(runSpec::addPositional);
    } catch (CommsException e) {
      app.warn("the script does not complete capability names: " + e.getMessage());
    }
    // picocli's script serves bash, and zsh through bashcompinit.
    app.out().print(AutoComplete.bash("comms", root));
    app.out().flush();
    return ExitCode.OK.code();
  }

  /** Gives every option called {@code name}, in every command, {@code values} to complete. */
  private static void offer(CommandLine cl, String name, List<String> values) {
    CommandSpec s = cl.getCommandSpec();
    OptionSpec o = s.findOption(name);
    if (o != null && o.completionCandidates() == null) {
      s.remove(o);
      s.addOption(o.toBuilder().completionCandidates(values).build());
    }
    cl.getSubcommands().values().forEach(c -> offer(c, name, values));
  }
}
