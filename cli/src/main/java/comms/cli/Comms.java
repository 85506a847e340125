package comms.cli;

import comms.core.CommsException;
import comms.cli.output.ErrorReport;
import comms.cli.output.Format;
import comms.core.ExitCode;
import comms.core.contract.ContractException;
import comms.core.contract.Source;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** The testable entry point: builds the command line, runs it on the given streams, returns the exit code. */
public final class Comms {
  private Comms() {}

  public static int run(InputStream in, OutputStream out, OutputStream err, Map<String, String> env, String... args) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    App app = new App(in, o, e, env);
    try {
      return run(app, args);
    } finally {
      app.close();
      o.flush();
      e.flush();
    }
  }

  static int run(App app, String... args) {
    return dispatch(app, args);
  }

  /** Runs a command line on an existing invocation (used by `cap run` to run the named capability). */
  public static int dispatch(App app, String... args) {
    CommandLine cl = configure(CommandTree.forArgs(app, args), app, java.util.List.of(args));
    cl.setExecutionStrategy(new ReceiptedExecution(app, args));
    return cl.execute(args);
  }

  /** Builds the full command tree around {@code app}. */
  public static CommandLine commandLine(App app) {
    return configure(CommandTree.whole(app), app, java.util.List.of());
  }

  /** Settings for the whole tree; picocli applies each to the subcommands already added. */
  private static CommandLine configure(CommandLine cl, App app, java.util.List<String> argv) {
    Format format = ErrorReport.requested(argv);
    Ansi ansi = colorAllowed(app) ? Ansi.AUTO : Ansi.OFF;
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    cl.setOut(app.out);
    cl.setErr(app.err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // `cap run NAME ARGS…`: everything after NAME belongs to the capability, options included.
    CommandLine cap = cl.getSubcommands().get("cap");
    if (cap != null) {
      cap.getSubcommands().get("run").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CommsException ce) {
            Source at = ce instanceof ContractException x ? x.source() : null;
            app.err.println(ErrorReport.line(format, ce.exitCode(), ce.getMessage(), at));
            if (app.verbose() && ce.getCause() != null) {
              ce.printStackTrace(app.err);
            }
            app.err.flush();
            return ce.exitCode().code();
          }
          app.err.println(ErrorReport.line(format, ExitCode.INTERNAL, "internal error: " + ex, null));
          if (format != Format.table) {
            app.err.flush();
            return ExitCode.INTERNAL.code();
          }
          if (app.verbose()) {
            ex.printStackTrace(app.err);
          } else {
            app.err.println("Run again with --verbose for the stack trace, and report it.");
          }
          app.err.flush();
          return ExitCode.INTERNAL.code();
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          if (format != Format.table) {
            app.err.println(ErrorReport.line(format, ExitCode.USAGE, ex.getMessage() + "; try '" + c.getCommandSpec().qualifiedName() + " --help'", null));
            app.err.flush();
            return ExitCode.USAGE.code();
          }
          app.err.println("comms: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, app.err)) {
            app.err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
          }
          app.err.flush();
          return ExitCode.USAGE.code();
        });
    cl.setExitCodeExceptionMapper(t -> t instanceof CommsException ce ? ce.exitCode().code() : ExitCode.INTERNAL.code());
    return cl;
  }

  static boolean colorAllowed(App app) {
    String nc = app.env.get("NO_COLOR");
    return (nc == null || nc.isEmpty()) && !"dumb".equals(app.env.get("TERM"));
  }
}
