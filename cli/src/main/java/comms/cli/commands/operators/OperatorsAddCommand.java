package comms.cli.commands.operators;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.Roster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms operators.add`: an admin adds an operator to the roster, with manual approval. */
@ApprovalGated
@Command(
    name = "operators.add",
    description = {
      "Add an operator to the roster (admins only).",
      "The acting operator is --as, else COMMS_OPERATOR, else the contract's default_operator. Caps default to the operators contract's defaults.",
      "Without --execute it is a dry run; with it you are asked to type yes. The audit log records every attempt."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms operators.add --email lee@lakesideprint.com --name \"Lee Park\"",
      "  echo yes | comms operators.add --email lee@lakesideprint.com \\",
      "      --name \"Lee Park\" --role operator --daily-cap 200 --execute"
    })
public final class OperatorsAddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--email", required = true, paramLabel = "ADDR", description = "The new operator's address (their identity, and their From for email).")
  String email;

  @Option(names = "--name", required = true, paramLabel = "TEXT", description = "Their display name.")
  String name;

  @Option(names = "--role", defaultValue = "operator", paramLabel = "ROLE", description = "operator (default) or admin.")
  String role;

  @Option(names = "--daily-cap", paramLabel = "N", description = "Sends per UTC day (default: the contract's defaults.daily_cap).")
  Integer dailyCap;

  @Option(names = "--per-minute-cap", paramLabel = "N", description = "Sends per UTC minute (default: the contract's defaults.per_minute_cap).")
  Integer perMinuteCap;

  @Mixin ExecuteOption execute;

  /** An operator as added or changed. */
  record OperatorView(String action, Roster.Operator op, boolean changed, String note) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", action);
      m.put("email", op.email());
      m.put("display_name", op.displayName());
      m.put("role", op.role());
      m.put("daily_cap", op.dailyCap());
      m.put("per_minute_cap", op.perMinuteCap());
      m.put("active", op.active());
      m.put("changed", changed);
      m.put("note", note);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields(
          "action", action,
          "operator", op.email(),
          "name", op.displayName(),
          "role", op.role(),
          "daily cap", String.valueOf(op.dailyCap()),
          "per-minute cap", String.valueOf(op.perMinuteCap()),
          "active", op.active() ? "yes" : "no",
          "changed", changed ? "yes" : "no");
      if (note != null) {
        p.line(note);
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Identity who = app.identity();
    OperatorsContract contract = app.bindings().operators();
    String address = OperatorsAddCommand.email("--email", email);
    if (name.isBlank()) {
      throw CommsException.usage("--name is empty; give the operator's display name");
    }
    displayName("--name", name);
    Roster.Operator op =
        new Roster.Operator(
            address,
            name.strip(),
            role(role),
            cap("--daily-cap", dailyCap, contract.defaultDailyCap(), OperatorsContract.MAX_DAILY_CAP),
            cap("--per-minute-cap", perMinuteCap, contract.defaultPerMinuteCap(), OperatorsContract.MAX_PER_MINUTE_CAP),
            true,
            Roster.FROM_ADD,
            false);
    AuditTrail.Action action =
        AuditTrail.Action.of("operators.add", "operator", address)
            .with("role", op.role())
            .with("daily_cap", op.dailyCap())
            .with("per_minute_cap", op.perMinuteCap());
    Optional<Permissions.Refusal> refused = Permissions.addOperator(who);
    if (refused.isEmpty() && app.roster().find(address).isPresent()) {
      refused = Optional.of(new Permissions.Refusal("already_exists", address + " is already an operator; change them with comms operators.update"));
    }
    if (refused.isPresent()) {
      throw execute.refuse(app, refused.get(), action);
    }
    String summary =
        "About to add an operator:\n  operator:       " + address + "\n  name:           " + op.displayName() + "\n  role:           " + op.role()
            + "\n  daily cap:      " + op.dailyCap() + "\n  per-minute cap: " + op.perMinuteCap() + "\n  added by:       " + who.actor()
            + (who.byAgent() ? " for " + who.owner() : "");
    Optional<Roster.Operator> added = execute.apply(app, summary, action, () -> app.roster().add(op, app.clock().instant()));
    app.render(added.isEmpty() ? new OperatorView("add", op, false, "dry run") : new OperatorView("add", added.get(), true, "added"));
    return 0;
  }

  static String email(String flag, String value) {
    String e = OperatorsContract.normalize(value);
    if (e.startsWith(comms.core.operator.Identity.AGENT)) {
      throw new CommsException(ExitCode.USAGE, flag + " " + value + ": an agent is never an operator; agents act for one with --actor");
    }
    if (!OperatorsContract.EMAIL.matcher(e).matches()) {
      throw new CommsException(ExitCode.USAGE, flag + " " + value + " is not an email address such as sam@example.com");
    }
    return e;
  }

  static String role(String role) {
    if (!OperatorsContract.ROLES.contains(role)) {
      throw new CommsException(ExitCode.USAGE, "--role '" + role + "' must be operator or admin");
    }
    return role;
  }

  static int cap(String flag, Integer given, int fallback, int max) {
    int c = given == null ? fallback : given;
    if (c < 0 || c > max) {
      throw new CommsException(ExitCode.USAGE, flag + " " + c + " must be 0 to " + max + " (0 stops the operator from sending)");
    }
    return c;
  }

  /** A display name becomes part of an email's From header: no control characters in it (exit 2). */
  static String displayName(String option, String value) {
    comms.core.send.ControlCharacters.firstInHeader(value).ifPresent(f -> {
      throw CommsException.usage(option + " holds " + f.describe() + "; a display name goes into the From header of email, so it must be one line of printable text");
    });
    return value;
  }
}
