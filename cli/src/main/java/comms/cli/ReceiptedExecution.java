package comms.cli;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.CapabilityRegistry;
import comms.core.receipt.Receipts;
import comms.core.receipt.Redaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Runs the chosen command and leaves its receipt: every capability run that got past validation
 * writes receipts/&lt;run-key&gt;.yaml. Refused runs (usage or contract errors) write nothing, so bad input
 * leaves the outbox untouched.
 */
final class ReceiptedExecution implements IExecutionStrategy {
  private final App app;
  private final String[] args;

  ReceiptedExecution(App app, String[] args) {
    this.app = app;
    this.args = args;
  }

  @Override
  public int execute(ParseResult parseResult) {
    CommandLine.RunLast runLast = new CommandLine.RunLast();
    String command = capabilityCommand(parseResult);
    if (command == null) {
      return runLast.execute(parseResult);
    }
    if (CommandLine.printHelpIfRequested(parseResult)) {
      return ExitCode.OK.code();
    }
    app.run.capability = CapabilityRegistry.nameOf(command);
    app.run.startedAt = RunRecord.WALL.instant();
    int code;
    try {
      code = runLast.execute(parseResult);
    } catch (CommandLine.ExecutionException e) {
      Exception cause = e.getCause() instanceof Exception x ? x : e;
      code = parseResult.commandSpec().commandLine().getExecutionExceptionHandler() == null
          ? ExitCode.INTERNAL.code()
          : handle(e.getCommandLine(), cause, parseResult);
    }
    if (code != ExitCode.USAGE.code() && code != ExitCode.CONTRACT.code() && !(app.options.noReceipt && !mutating(command))) {
      writeReceipt(command, code);
    }
    return code;
  }

  private static int handle(CommandLine cl, Exception cause, ParseResult pr) {
    try {
      return cl.getExecutionExceptionHandler().handleExecutionException(cause, cl, pr);
    } catch (Exception again) {
      return ExitCode.INTERNAL.code();
    }
  }

  /** The top-level command when it is a capability (not cap/completion/help), else null. */
  static String capabilityCommand(ParseResult pr) {
    if (!pr.hasSubcommand()) {
      return null;
    }
    String name = pr.subcommand().commandSpec().name();
    return CommsCommand.META_COMMANDS.contains(name) ? null : name;
  }

  private boolean mutating(String command) {
    try {
      return app.bindings().capabilities().byCommand(command).map(CapabilityRegistry.Capability::mutating).orElse(false);
    } catch (CommsException e) {
      return false;
    }
  }

  private void writeReceipt(String command, int code) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run_key", app.runKey());
    r.put("capability", app.run.capability);
    r.put("command", command);
    r.put("arguments", Redaction.arguments(new ArrayList<>(Arrays.asList(args)), app.env()));
    r.put("mode", app.run.mode == null ? "n/a" : app.run.mode);
    r.put("approval", app.run.approval);
    if (app.resolvedIdentity() != null) {
      r.put("operator", app.resolvedIdentity().owner());
      r.put("actor", app.resolvedIdentity().actor());
    }
    r.put("exit_code", code);
    r.put("outcome", outcome(code));
    r.put("started_at", app.run.startedAt.toString());
    r.put("finished_at", RunRecord.WALL.instant().toString());
    List<String> artifacts = new ArrayList<>();
    Path outbox = app.outboxDir().toAbsolutePath().normalize();
    for (Path p : app.written()) {
      Path abs = p.toAbsolutePath().normalize();
      artifacts.add(abs.startsWith(outbox) ? outbox.relativize(abs).toString() : abs.toString());
    }
    r.put("artifacts", artifacts);
    r.putAll(app.run.extra);
    try {
      new Receipts(app.outboxDir()).write(app.runKey(), r);
    } catch (RuntimeException e) {
      app.err.println("comms: warning: could not write the receipt for run " + app.runKey() + ": " + e.getMessage());
      app.err.flush();
    }
  }

  static String outcome(int code) {
    for (ExitCode c : ExitCode.values()) {
      if (c.code() == code) {
        return c.meaning();
      }
    }
    return "exit " + code;
  }
}
