package comms.cli.commands;

import comms.cli.App;
import comms.cli.Comms;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.CapabilityRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms cap list|run`: the capability registry, and running a capability by its registered name. */
@Command(
    name = "cap",
    description = "The capability registry (bindings/communications.capabilities.yaml).",
    subcommands = {CapCommand.ListCommand.class, CapCommand.RunCommand.class})
public final class CapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(App.of(spec).err());
    return ExitCode.USAGE.code();
  }

  /** `comms cap list`. */
  @Command(name = "list", description = "List every capability with its safety class and approval mode.")
  public static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    record CapsView(List<CapabilityRegistry.Capability> caps) implements View {
      @Override
      public Object tree() {
        List<Object> rows = new ArrayList<>();
        for (CapabilityRegistry.Capability c : caps) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("name", c.name());
          r.put("command", c.command());
          r.put("safety", c.safety());
          r.put("approval", c.approval());
          r.put("description", c.description());
          rows.add(r);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capabilities", rows);
        return m;
      }

      @Override
      public void table(Table.Printer p) {
        List<List<String>> rows = new ArrayList<>();
        for (CapabilityRegistry.Capability c : caps) {
          rows.add(List.of(c.name(), c.safety(), c.approval(), c.description()));
        }
        p.table(List.of("CAPABILITY", "SAFETY", "APPROVAL", "DESCRIPTION"), rows);
      }
    }

    @Override
    public Integer call() {
      App app = App.of(spec);
      app.render(new CapsView(app.bindings().capabilities().capabilities()));
      return 0;
    }
  }

  /** `comms cap run communications.NAME [args…]` runs `comms NAME [args…]`. */
  @Command(
      name = "run",
      description = {
        "Run a registered capability: `comms cap run communications.NAME ARGS…` is `comms NAME ARGS…`.",
        "Everything after the capability name is passed on unchanged."
      })
  public static final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CAPABILITY", description = "A name from `comms cap list`, e.g. communications.stack.status.")
    String capability;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The capability's own arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      App app = App.of(spec);
      CapabilityRegistry registry = app.bindings().capabilities();
      CapabilityRegistry.Capability cap =
          registry
              .byName(capability)
              .orElseThrow(
                  () ->
                      new CommsException(
                          ExitCode.USAGE,
                          "'" + capability + "' is not a registered capability; `comms cap list` shows them all"));
      List<String> forwarded = new ArrayList<>(app.options().given());
      forwarded.add(cap.command());
      forwarded.addAll(args);
      return Comms.dispatch(app, forwarded.toArray(String[]::new));
    }
  }
}
