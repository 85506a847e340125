package comms.cli.commands.verify;

import comms.cli.App;
import comms.cli.Comms;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.CapabilityRegistry;
import comms.core.outbox.AtomicFile;
import comms.core.receipt.Receipts;
import comms.core.verify.JUnitReport;
import comms.core.verify.RunbookCommands;
import comms.core.verify.VerifyCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms certify`: the dry-run certification CI runs before a live pilot. */
@Command(
    name = "certify",
    description = {
      "Dry-run certification of every capability.",
      "In a scratch outbox, runs every runbook command against these bindings in simulation (a live contract is rehearsed, never sent), mutating ones through the real approval path with the runbook's piped answer, and checks that every capability in the registry ran, exited as the runbook expects, and left its receipt and artifacts.",
      "Prints a table; the run's receipt holds the results; --junit-file writes JUnit XML. Exit 0 when every capability is certified, 3 otherwise."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms certify"
    })
public final class CertifyCommand implements Callable<Integer> {
  static final String SELF = "certify";

  @Spec CommandSpec spec;

  @Option(names = "--runbooks", paramLabel = "DIR", description = "Runbooks folder (default: runbooks/ next to the bindings folder).")
  Path runbooks;

  @Option(names = "--junit-file", paramLabel = "PATH", description = "Also write a JUnit XML report (one test case per capability).")
  Path junitFile;

  @Option(names = "--keep", description = "Keep the scratch outbox and print its path (default: removed afterwards).")
  boolean keep;

  @Option(
      names = "--at",
      paramLabel = "ISO-INSTANT",
      description = "The clock for the rehearsal (default: $COMMS_NOW, else today 17:00 UTC, daytime in the Americas so quiet hours do not defer).")
  String at;

  /** One runbook command as certified. */
  record StepResult(RunbookCommands.Step step, int exit, boolean receipt, List<String> missingArtifacts, String problem) {
    boolean passed() {
      return problem == null;
    }
  }

  /** One capability's certification. */
  record CapabilityResult(CapabilityRegistry.Capability capability, List<StepResult> steps, String problem) {
    boolean passed() {
      return problem == null;
    }
  }

  record CertifyView(String mode, List<CapabilityResult> results, Path scratch) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("certified", results.stream().allMatch(CapabilityResult::passed));
      m.put("contract_mode", mode);
      List<Object> rows = new ArrayList<>();
      for (CapabilityResult r : results) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("capability", r.capability().name());
        x.put("safety", r.capability().safety());
        x.put("result", r.passed() ? "pass" : "fail");
        x.put("steps", r.steps().size());
        if (r.problem() != null) {
          x.put("problem", r.problem());
        }
        rows.add(x);
      }
      m.put("capabilities", rows);
      if (scratch != null) {
        m.put("scratch_outbox", scratch.toString());
      }
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("certification (contracts: " + mode + "; rehearsed in simulation)");
      List<List<String>> rows = new ArrayList<>();
      for (CapabilityResult r : results) {
        rows.add(List.of(p.status(r.passed() ? "pass" : "fail"), r.capability().name(), r.capability().safety(), String.valueOf(r.steps().size()),
            r.problem() == null ? "exit codes, receipts and artifacts as expected" : r.problem()));
      }
      p.table(List.of("RESULT", "CAPABILITY", "SAFETY", "RUNS", "DETAIL"), rows);
      long failed = results.stream().filter(r -> !r.passed()).count();
      p.blank();
      p.line(failed == 0 ? "certified: all " + results.size() + " capabilities" : failed + " of " + results.size() + " capabilities not certified");
      if (scratch != null) {
        p.line("scratch outbox kept at " + scratch);
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    CapabilityRegistry registry = app.bindings().capabilities();
    String mode = "delivery " + app.bindings().delivery().mode() + ", send_test " + app.bindings().stack().pilot().sendTest().mode();
    Path bindingsDir = app.bindingsDir().toAbsolutePath().normalize();
    Path runbookDir = runbooks != null ? runbooks : bindingsDir.resolveSibling("runbooks");
    if (!Files.isDirectory(runbookDir)) {
      throw new CommsException(ExitCode.CONTRACT, "runbooks folder " + runbookDir + " not found; pass --runbooks DIR");
    }
    List<RunbookCommands.Step> steps = RunbookCommands.read(runbookDir);
    Path scratch = scratch("comms-certify-");
    Map<String, String> env = rehearsal(app, scratch, bindingsDir, clock(app));
    Map<String, List<StepResult>> byCommand = new LinkedHashMap<>();
    try {
      for (RunbookCommands.Step s : steps) {
        if (s.command().equals(SELF)) {
          continue;
        }
        StepResult r = run(s, env, scratch.resolve("outbox"));
        byCommand.computeIfAbsent(s.command(), k -> new ArrayList<>()).add(r);
        app.err().println("certify: " + (r.passed() ? "ok  " : "FAIL") + " " + s.where() + " " + s.text() + (r.passed() ? "" : " — " + r.problem()));
        app.err().flush();
      }
    } finally {
      if (!keep) {
        delete(scratch);
      }
    }
    List<CapabilityResult> results = new ArrayList<>();
    for (CapabilityRegistry.Capability c : registry.capabilities()) {
      if (c.command().equals(SELF)) {
        results.add(new CapabilityResult(c, List.of(), null));
        continue;
      }
      List<StepResult> rs = byCommand.getOrDefault(c.command(), List.of());
      String problem = null;
      if (rs.isEmpty()) {
        problem = "no runbook command runs it; add `comms " + c.command() + " …` to a fenced bash block in " + runbookDir;
      } else {
        problem = rs.stream().filter(r -> !r.passed()).map(r -> r.step().where() + ": " + r.problem()).findFirst().orElse(null);
      }
      results.add(new CapabilityResult(c, rs, problem));
    }
    boolean ok = results.stream().allMatch(CapabilityResult::passed);
    CertifyView view = new CertifyView(mode, results, keep ? scratch : null);
    app.receiptSection("certification", view.tree());
    if (junitFile != null) {
      List<VerifyCheck> checks = new ArrayList<>();
      for (CapabilityResult r : results) {
        checks.add(
            r.passed()
                ? VerifyCheck.pass("certify", r.capability().name(), r.steps().size() + " runs as expected")
                : VerifyCheck.fail("certify", r.capability().name(), List.of(new VerifyCheck.Problem(r.capability().source().where(), r.problem()))));
      }
      AtomicFile.write(junitFile, JUnitReport.xml("comms certify", app.clock().instant(), JUnitReport.cases(checks)));
      app.artifact(junitFile);
    }
    app.render(view);
    return ok ? ExitCode.OK.code() : ExitCode.CONTRACT.code();
  }

  private String clock(App app) {
    if (at != null) {
      try {
        return Instant.parse(at).toString();
      } catch (RuntimeException e) {
        throw new CommsException(ExitCode.USAGE, "--at '" + at + "' is not an ISO-8601 instant such as 2026-11-22T17:00:00Z");
      }
    }
    String now = app.env().get("COMMS_NOW");
    if (now != null && !now.isBlank()) {
      return now;
    }
    return LocalDate.now(app.clock()).atTime(17, 0).toInstant(ZoneOffset.UTC).toString();
  }

  /** Runs one runbook command in-process and checks its exit, its receipt and the artifacts the receipt lists. */
  static StepResult run(RunbookCommands.Step s, Map<String, String> env, Path outbox) {
    Set<String> before = receiptKeys(outbox);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    byte[] stdin = s.stdin() == null ? new byte[0] : s.stdin().getBytes(StandardCharsets.UTF_8);
    int exit = Comms.run(new ByteArrayInputStream(stdin), out, err, env, s.args().toArray(String[]::new));
    Set<String> after = receiptKeys(outbox);
    after.removeAll(before);
    if (exit != s.exit()) {
      String why = err.toString(StandardCharsets.UTF_8).strip();
      return new StepResult(s, exit, false, List.of(), "exited " + exit + ", the runbook expects " + s.exit() + (why.isEmpty() ? "" : " (" + last(why) + ")"));
    }
    boolean refused = exit == ExitCode.USAGE.code() || exit == ExitCode.CONTRACT.code();
    boolean meta = comms.cli.CommsCommand.META_COMMANDS.contains(s.command());
    if (refused || meta) {
      // A refused run writes nothing at all, and program commands (cap list) are not capability runs.
      return after.isEmpty()
          ? new StepResult(s, exit, false, List.of(), null)
          : new StepResult(s, exit, true, List.of(), "left " + after.size() + " receipts; a " + (meta ? "meta command" : "refused run") + " must leave none");
    }
    if (after.size() != 1) {
      return new StepResult(s, exit, false, List.of(), "left " + after.size() + " receipts; expected exactly one");
    }
    Map<String, Object> receipt = new Receipts(outbox).read(after.iterator().next());
    if (!CapabilityRegistry.nameOf(s.command()).equals(receipt.get("capability"))) {
      return new StepResult(s, exit, true, List.of(), "its receipt names " + receipt.get("capability"));
    }
    List<String> missing = new ArrayList<>();
    Object artifacts = receipt.get("artifacts");
    if (artifacts instanceof List<?> list) {
      for (Object a : list) {
        Path p = outbox.resolve(String.valueOf(a));
        if (!Files.exists(p)) {
          missing.add(String.valueOf(a));
        }
      }
    }
    if (!missing.isEmpty()) {
      return new StepResult(s, exit, true, missing, "artifacts named in its receipt are missing: " + String.join(", ", missing));
    }
    return new StepResult(s, exit, true, List.of(), null);
  }

  private static String last(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }

  private static Set<String> receiptKeys(Path outbox) {
    return new HashSet<>(new Receipts(outbox).list(Integer.MAX_VALUE));
  }

  /** A new scratch folder for a rehearsal's outbox. */
  static Path scratch(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot create a scratch outbox (" + e.getMessage() + ")");
    }
  }

  /**
   * The environment a rehearsal runs runbook commands in: the scratch outbox, these bindings, every
   * live mode read as simulation, no colour, the given clock, and no outside outbox or fault injection.
   */
  static Map<String, String> rehearsal(App app, Path scratch, Path bindingsDir, String now) {
    Map<String, String> env = new HashMap<>(app.env());
    env.put("COMMS_OUTBOX", scratch.resolve("outbox").toString());
    env.put("COMMS_BINDINGS", bindingsDir.toString());
    env.put(App.SIMULATION_ONLY, "1");
    env.put("NO_COLOR", "1");
    env.put("COMMS_NOW", now);
    env.remove("SPINE_OUTBOX");
    env.remove("COMMS_FAULT");
    return env;
  }

  static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
