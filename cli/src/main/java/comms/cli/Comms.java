package comms.cli;

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
    // `cap run NAME ARGS…`: everything after NAME belongs to the capability, options included.
    CommandLine cap = cl.getSubcommands().get("cap");
    if (cap != null) {
      cap.getSubcommands().get("run").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CommsException ce) {
            app.err.println("comms: " + ce.getMessage());
            if (app.verbose() && ce.getCause() != null) {
              ce.printStackTrace(app.err);
            }
            app.err.flush();
            return ce.exitCode().code();
          }
          app.err.println("comms: internal error: " + ex);
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
