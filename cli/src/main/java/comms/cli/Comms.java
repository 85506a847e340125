package comms.cli;

import comms.cli.output.ErrorReport;
import comms.cli.output.Format;
import comms.core.CommsException;
import comms.core.ExitCode;
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
    CommandLine cl = configure(CommandTree.forArgs(app, args), app);
    cl.setExecutionStrategy(new ReceiptedExecution(app, args));
    return cl.execute(args);
  }

  /** Builds the full command tree around {@code app}. */
  public static CommandLine commandLine(App app) {
    return configure(CommandTree.whole(app), app);
  }

  /** Settings for the whole tree; picocli applies each to the subcommands already added. */
  private static CommandLine configure(CommandLine cl, App app) {
    Ansi ansi = colorAllowed(app) ? Ansi.AUTO : Ansi.OFF;
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    cl.setOut(app.out);
    cl.setErr(app.err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    HelpLayout.apply(cl, HelpLayout.width(app.env));
    // `cap run NAME ARGS…`: everything after NAME belongs to the capability, options included.
    CommandLine cap = cl.getSubcommands().get("cap");
    if (cap != null) {
      cap.getSubcommands().get("run").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // `cap run NAME -o json` leaves -o json to the capability: a refusal of NAME itself still honours it.
          Format format =
              app.options.output != Format.table || parseResult == null
                  ? app.options.output
                  : ErrorReport.requested(parseResult.originalArgs().toArray(String[]::new));
          if (ex instanceof CommsException ce) {
            app.err.println(ErrorReport.line(format, ce.exitCode(), ce.getMessage(), ce.source(), null));
            if (app.verbose() && ce.getCause() != null) {
              ce.printStackTrace(app.err);
            }
            app.err.flush();
            return ce.exitCode().code();
          }
          String hint = "Run again with --verbose for the stack trace, and report it.";
          if (format == Format.table) {
            app.err.println("comms: internal error: " + ex);
          } else {
            app.err.println(ErrorReport.line(format, ExitCode.INTERNAL, "internal error: " + ex + (app.verbose() ? "" : ". " + hint), null, null));
          }
          if (app.verbose()) {
            ex.printStackTrace(app.err);
          } else if (format == Format.table) {
            app.err.println(hint);
          }
          app.err.flush();
          return ExitCode.INTERNAL.code();
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          String help = "Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.";
          Format format = ErrorReport.requested(args);
          if (format != Format.table) {
            app.err.println(ErrorReport.line(format, ExitCode.USAGE, sentence(ex) + " " + help, null, argument(ex)));
            app.err.flush();
            return ExitCode.USAGE.code();
          }
          app.err.println("comms: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, app.err)) {
            app.err.println(help);
          }
          app.err.flush();
          return ExitCode.USAGE.code();
        });
    cl.setExitCodeExceptionMapper(t -> t instanceof CommsException ce ? ce.exitCode().code() : ExitCode.INTERNAL.code());
    return cl;
  }

  /** Picocli's message as a sentence, with its "did you mean" for a misspelt command or option. */
  private static String sentence(CommandLine.ParameterException ex) {
    String m = String.valueOf(ex.getMessage()).strip();
    m = m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      return m + "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
    }
    return m + ".";
  }

  /** The option or parameter a usage error is about, when picocli knows it. */
  private static String argument(CommandLine.ParameterException ex) {
    CommandLine.Model.ArgSpec spec = ex.getArgSpec();
    if (spec == null && ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
      spec = m.getMissing().get(0);
    }
    if (spec instanceof CommandLine.Model.OptionSpec o) {
      return o.longestName();
    }
    if (spec instanceof CommandLine.Model.PositionalParamSpec p) {
      return p.paramLabel();
    }
    return null;
  }

  static boolean colorAllowed(App app) {
    String nc = app.env.get("NO_COLOR");
    return (nc == null || nc.isEmpty()) && !"dumb".equals(app.env.get("TERM"));
  }
}
