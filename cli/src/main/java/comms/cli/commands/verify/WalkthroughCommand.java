package comms.cli.commands.verify;

import comms.cli.App;
import comms.cli.Comms;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.verify.RunbookCommands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms walkthrough`: the sequence walkthrough of the README, run on the samples in a scratch outbox, step by step. */
@Command(
    name = "walkthrough",
    description = {
      "Run the README's walkthrough on the samples.",
      "Runs runbooks/" + WalkthroughCommand.RUNBOOK + " on the sample contracts and examples/sequences/ in a scratch outbox, in simulation: create a sequence, add recipients (some rejected, with reasons), launch it, run the worker across three simulated weeks, and read the result.",
      "The approvals the steps need are given by the walkthrough itself and recorded as such (actor agent:walkthrough). Prints each step and what it did; exit 0 when every step exited as the runbook expects."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms walkthrough"
    })
public final class WalkthroughCommand implements Callable<Integer> {
  static final String RUNBOOK = "communications-sequences.md";

  /** A Monday 10:00 in New York: inside the sample sequence's window, a week before any US holiday. */
  static final String START = "2026-12-07T15:00:00Z";

  @Spec CommandSpec spec;

  @Option(names = "--keep", description = "Keep the scratch outbox and print its path, to look at the evidence afterwards.")
  boolean keep;

  @Option(names = "--at", paramLabel = "ISO-INSTANT", description = "Where the simulated clock starts (default " + START + ").")
  String at;

  /** One step as run: the command line, its exit, the exit expected, and the last lines it printed. */
  record StepView(String line, String command, int exit, int expected, List<String> said) {}

  record WalkthroughView(List<StepView> steps, Path outbox) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", steps.stream().allMatch(s -> s.exit() == s.expected()));
      m.put("steps", steps.stream().map(s -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("command", s.command());
        x.put("exit", s.exit());
        x.put("expected_exit", s.expected());
        x.put("output", s.said());
        return x;
      }).toList());
      m.put("outbox", outbox == null ? null : outbox.toString());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      int n = 0;
      for (StepView s : steps) {
        n++;
        p.heading(n + ". " + s.command() + (s.exit() == s.expected() ? "" : "   <-- exited " + s.exit() + ", expected " + s.expected()));
        s.said().forEach(l -> p.line("   " + l));
        p.blank();
      }
      long bad = steps.stream().filter(s -> s.exit() != s.expected()).count();
      p.line(bad == 0 ? "walkthrough: all " + steps.size() + " steps did what the runbook says" : "walkthrough: " + bad + " of " + steps.size() + " steps did not");
      if (outbox != null) {
        p.line("the evidence is in " + outbox + " (receipts/, communications/communications-delivery-log.jsonl, state/comms.db)");
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Path bindingsDir = app.bindingsDir().toAbsolutePath().normalize();
    Path runbook = bindingsDir.resolveSibling("runbooks").resolve(RUNBOOK);
    if (!Files.isRegularFile(runbook)) {
      throw new CommsException(ExitCode.CONTRACT, "the walkthrough runbook " + runbook + " is missing; run comms walkthrough from the repository");
    }
    List<RunbookCommands.Step> steps;
    try {
      steps = RunbookCommands.parse(runbook, Files.readString(runbook));
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot read " + runbook + " (" + e.getMessage() + ")");
    }
    Path scratch = CertifyCommand.scratch("comms-walkthrough-");
    Map<String, String> env = CertifyCommand.rehearsal(app, scratch, bindingsDir, at == null ? START : at);
    List<StepView> done = new ArrayList<>();
    try {
      for (RunbookCommands.Step s : steps) {
        List<String> args = new ArrayList<>(s.args());
        if (s.stdin() != null && !args.contains("--actor")) {
          args.add("--actor");
          args.add("agent:walkthrough");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        byte[] stdin = s.stdin() == null ? new byte[0] : s.stdin().getBytes(StandardCharsets.UTF_8);
        int exit = Comms.run(new ByteArrayInputStream(stdin), out, err, env, args.toArray(String[]::new));
        List<String> said = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
          if (!l.isBlank()) {
            said.add(l.stripTrailing());
          }
        }
        if (exit != 0) {
          String[] e = err.toString(StandardCharsets.UTF_8).strip().split("\n");
          said.add(e[e.length - 1]);
        }
        done.add(new StepView(s.where(), s.text(), exit, s.exit(), said));
        app.err().println("walkthrough: " + (exit == s.exit() ? "ok  " : "FAIL") + " " + s.text());
        app.err().flush();
      }
    } finally {
      if (!keep) {
        CertifyCommand.delete(scratch);
      }
    }
    app.render(new WalkthroughView(done, keep ? scratch.resolve("outbox") : null));
    return done.stream().allMatch(s -> s.exit() == s.expected()) ? 0 : ExitCode.CONTRACT.code();
  }
}
