package comms.cli.commands.verify;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.CommsCommand;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.verify.JUnitReport;
import comms.core.verify.Runbooks;
import comms.core.verify.Verification;
import comms.core.verify.VerifyCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms verify`: static parity checks across the whole bindings folder, for people and for CI. */
@Command(
    name = "verify",
    description = {
      "Check the whole bindings folder; send nothing.",
      "Checks, without sending or writing anything:",
      "contracts: every contract parses, matches its JSON Schema (schemas/) and loads, and names its schema on line 1 for editors.",
      "references: message types, templates, provider routes and consent channels agree both ways; the pilot backend, mailboxes and infra target agree.",
      "templates: every {{variable}} a template uses is declared, and every declared one is used.",
      "capabilities: the capability registry and comms' commands match both ways, and approval: manual is set exactly for the commands that ask for approval.",
      "runbooks: every capability appears in a runbook (by name or as comms COMMAND).",
      "Each failure names the file and line to fix. Exit 0 when every check passes, 3 otherwise. For CI: --format junit prints a JUnit XML report instead; --junit-file also writes one."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms verify",
      "  comms verify --format junit"
    })
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Report formats beyond --output's. */
  enum ReportFormat {
    junit
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "junit: print a JUnit XML report on stdout (one testcase per check, a failure element with the"
          + " file and line for each failed one) instead of the --output rendering.")
  ReportFormat format;

  @Option(
      names = "--junit-file",
      paramLabel = "PATH",
      description = "Also write the JUnit XML report to PATH (folders are created), whatever the output format.")
  Path junitFile;

  @Option(
      names = "--runbooks",
      paramLabel = "DIR",
      description = "Runbooks folder to search for each capability (default: runbooks/ beside the bindings folder).")
  Path runbooks;

  /** The report as shown. */
  record VerifyView(Verification.Report report, String bindings, String runbooks) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", report.passed());
      m.put("bindings", bindings);
      m.put("runbooks", runbooks);
      m.put("passed", report.count(VerifyCheck.Status.PASS));
      m.put("failed", report.count(VerifyCheck.Status.FAIL));
      m.put("skipped", report.count(VerifyCheck.Status.SKIP));
      List<Object> cs = new ArrayList<>();
      for (VerifyCheck c : report.checks()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("group", c.group());
        x.put("name", c.name());
        x.put("result", c.status().word());
        x.put("summary", c.summary());
        List<Object> ps = new ArrayList<>();
        for (VerifyCheck.Problem p : c.problems()) {
          Map<String, Object> y = new LinkedHashMap<>();
          y.put("where", p.where());
          y.put("message", p.message());
          ps.add(y);
        }
        x.put("problems", ps);
        cs.add(x);
      }
      m.put("checks", cs);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("verify " + bindings);
      List<List<String>> rows = new ArrayList<>();
      for (VerifyCheck c : report.checks()) {
        rows.add(List.of(p.status(c.status().word()), c.group(), c.name(), c.summary()));
      }
      p.table(List.of("RESULT", "GROUP", "CHECK", "SUMMARY"), rows);
      List<VerifyCheck> failed = report.checks().stream().filter(VerifyCheck::failed).toList();
      if (!failed.isEmpty()) {
        p.blank();
        p.heading("to fix");
        for (VerifyCheck c : failed) {
          for (VerifyCheck.Problem x : c.problems()) {
            p.line("  " + x + "  [" + c.name() + "]");
          }
        }
      }
      p.blank();
      long bad = report.count(VerifyCheck.Status.FAIL);
      long skipped = report.count(VerifyCheck.Status.SKIP);
      int n = report.checks().size();
      p.line(bad == 0 && skipped == 0
          ? "all " + n + " checks pass"
          : bad + " of " + n + " checks fail" + (skipped == 0 ? "" : ", " + skipped + " not checked"));
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Path runbooksDir = runbooks != null ? runbooks : defaultRunbooks(app.bindingsDir());
    // This run's tree holds only `verify` (start-up); the check needs every command.
    Verification.Report report = Verification.run(app.bindings(), commands(comms.cli.Comms.commandLine(app)), Runbooks.read(runbooksDir));
    String xml = null;
    if (format == ReportFormat.junit || junitFile != null) {
      xml = JUnitReport.xml("comms verify", app.clock().instant(), JUnitReport.cases(report.checks()));
    }
    if (junitFile != null) {
      write(junitFile, xml);
    }
    if (format == ReportFormat.junit) {
      app.out().print(xml);
      app.out().flush();
    } else {
      app.render(new VerifyView(report, display(app.bindingsDir()), display(runbooksDir)));
    }
    return report.passed() ? ExitCode.OK.code() : ExitCode.CONTRACT.code();
  }

  /** The program's capability commands as verify sees them: every subcommand except the meta ones. */
  static List<Verification.ProgramCommand> commands(CommandLine root) {
    List<Verification.ProgramCommand> out = new ArrayList<>();
    Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
    for (CommandLine sub : root.getSubcommands().values()) {
      // aliases map several names to one command line
      if (seen.put(sub, Boolean.TRUE) != null || CommsCommand.META_COMMANDS.contains(sub.getCommandName())) {
        continue;
      }
      CommandSpec s = sub.getCommandSpec();
      Object command = s.userObject();
      boolean prompts = command != null && command.getClass().isAnnotationPresent(ApprovalGated.class);
      out.add(new Verification.ProgramCommand(sub.getCommandName(), prompts, s.findOption("--execute") != null));
    }
    return out;
  }

  static Path defaultRunbooks(Path bindingsDir) {
    Path parent = bindingsDir.toAbsolutePath().normalize().getParent();
    return (parent == null ? Path.of("") : parent).resolve("runbooks");
  }

  private static void write(Path file, String xml) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, xml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommsException(ExitCode.USAGE, "cannot write the JUnit report to " + file + " (" + e.getMessage() + "); pass a writable --junit-file PATH");
    }
  }

  private static String display(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
