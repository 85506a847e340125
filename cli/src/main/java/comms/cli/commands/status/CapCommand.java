package comms.cli.commands.status;

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
    description = {
      "List or run the registered capabilities.",
      "The registry is bindings/communications.capabilities.yaml: each capability's name, safety class and approval mode."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  comms cap list", "  comms cap run communications.stack.status --output json"},
    subcommands = {CapCommand.ListCommand.class, CapCommand.RunCommand.class})
public final class CapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(App.of(spec).err());
    return ExitCode.USAGE.code();
  }

  /** `comms cap list`. */
  @Command(
      name = "list",
      description = {"List every capability with its safety class and approval mode."},
      footerHeading = "%nExamples:%n",
      footer = {"  comms cap list", "  comms cap list --output json"})
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

  /** `comms cap run communications.NAME [args…]` runs `comms NAME [args…]`; `cap run infra.NAME …` runs `comms infra.NAME …`. */
  @Command(
      name = "run",
      description = {
        "Run a registered capability by its name.",
        "comms cap run communications.NAME ARGS... is comms NAME ARGS..., and comms cap run infra.NAME ARGS... is comms infra.NAME ARGS...: everything after the capability name is passed on unchanged. A name that is not registered is exit 2, with the nearest names."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  comms cap run communications.policy.status",
        "  comms cap run communications.templates.list --channel sms --output json"
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
                  () -> {
                    List<String> near = nearest(capability, registry.capabilities().stream().map(CapabilityRegistry.Capability::name).toList());
                    return new CommsException(
                        ExitCode.USAGE,
                        "'" + capability + "' is not a registered capability; "
                            + (near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "? ")
                            + "`comms cap list` shows them all");
                  });
      List<String> forwarded = new ArrayList<>(app.options().given());
      forwarded.add(cap.command());
      forwarded.addAll(args);
      return Comms.dispatch(app, forwarded.toArray(String[]::new));
    }

    /** The registered names closest to {@code typed}: the name it lacks the prefix of, else those a couple of typos away. */
    static List<String> nearest(String typed, List<String> names) {
      List<String> full = names.stream().filter(n -> n.equals(CapabilityRegistry.PREFIX + typed)).toList();
      if (!full.isEmpty()) {
        return full;
      }
      int best = Integer.MAX_VALUE;
      List<String> out = new ArrayList<>();
      for (String n : names) {
        int d = typos(typed, n);
        if (d <= Math.max(2, n.length() / 8)) {
          if (d < best) {
            best = d;
            out.clear();
          }
          if (d == best) {
            out.add(n);
          }
        }
      }
      return out;
    }

    /** Levenshtein distance with adjacent transpositions counted as one typo. */
    static int typos(String a, String b) {
      int[][] d = new int[a.length() + 1][b.length() + 1];
      for (int i = 0; i <= a.length(); i++) {
        d[i][0] = i;
      }
      for (int j = 0; j <= b.length(); j++) {
        d[0][j] = j;
      }
      for (int i = 1; i <= a.length(); i++) {
        for (int j = 1; j <= b.length(); j++) {
          int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
          d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
          if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
          }
        }
      }
      return d[a.length()][b.length()];
    }
  }
}
