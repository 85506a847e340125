package comms.cli.commands.operators;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.CommsException;
import comms.core.contract.OperatorsContract;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.Roster;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms operators.update`: change an operator's name, role, caps or active flag, with manual approval. */
@ApprovalGated
@Command(
    name = "operators.update",
    description = {
      "Change an operator's name, role, caps or status.",
      "Admins change anyone, but never leave the roster without an active admin; an operator may change only their own display name.",
      "Without --execute it is a dry run; with it you are asked to type yes. The audit log records every attempt."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms operators.update --email sam@lakesideprint.com --daily-cap 500",
      "  echo yes | comms operators.update --email sam@lakesideprint.com \\",
      "      --per-minute-cap 10 --execute"
    })
public final class OperatorsUpdateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--email", required = true, paramLabel = "ADDR", description = "The operator to change.")
  String email;

  @Option(names = "--name", paramLabel = "TEXT", description = "New display name.")
  String name;

  @Option(names = "--role", paramLabel = "ROLE", description = "New role: operator or admin.")
  String role;

  @Option(names = "--daily-cap", paramLabel = "N", description = "New sends-per-UTC-day cap (0 stops sending).")
  Integer dailyCap;

  @Option(names = "--per-minute-cap", paramLabel = "N", description = "New sends-per-UTC-minute cap (0 stops sending).")
  Integer perMinuteCap;

  @Option(names = "--active", paramLabel = "true|false", arity = "1", description = "false deactivates the operator (they can no longer act); true reactivates.")
  Boolean active;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    Identity who = app.identity();
    String address = OperatorsAddCommand.email("--email", email);
    if (name != null && name.isBlank()) {
      throw CommsException.usage("--name is empty; give the new display name or leave --name out");
    }
    Roster.Change change =
        new Roster.Change(
            name == null ? null : OperatorsAddCommand.displayName("--name", name).strip(),
            role == null ? null : OperatorsAddCommand.role(role),
            dailyCap == null ? null : OperatorsAddCommand.cap("--daily-cap", dailyCap, 0, OperatorsContract.MAX_DAILY_CAP),
            perMinuteCap == null ? null : OperatorsAddCommand.cap("--per-minute-cap", perMinuteCap, 0, OperatorsContract.MAX_PER_MINUTE_CAP),
            active);
    if (change.isEmpty()) {
      throw CommsException.usage("nothing to change: give at least one of --name, --role, --daily-cap, --per-minute-cap, --active");
    }
    AuditTrail.Action action = AuditTrail.Action.of("operators.update", "operator", address).with("changes", change.fields());
    Optional<Permissions.Refusal> refused = Permissions.updateOperator(who, address, change);
    Optional<Roster.Operator> current = app.roster().find(address);
    if (refused.isEmpty() && current.isEmpty()) {
      refused = Optional.of(new Permissions.Refusal("not_an_operator", address + " is not an operator; add them with comms operators.add"));
    }
    if (refused.isPresent()) {
      throw execute.refuse(app, refused.get(), action);
    }
    Roster.Operator was = current.get();
    Roster.Operator would =
        new Roster.Operator(
            was.email(),
            change.displayName() != null ? change.displayName() : was.displayName(),
            change.role() != null ? change.role() : was.role(),
            change.dailyCap() != null ? change.dailyCap() : was.dailyCap(),
            change.perMinuteCap() != null ? change.perMinuteCap() : was.perMinuteCap(),
            change.active() != null ? change.active() : was.active(),
            was.source(),
            was.stored());
    boolean lastAdmin =
        was.admin() && was.active() && !(would.admin() && would.active())
            && app.roster().list().stream().filter(o -> o.admin() && o.active()).count() <= 1;
    if (lastAdmin) {
      throw execute.refuse(
          app,
          new Permissions.Refusal("last_admin", address + " is the last active admin; make another operator an admin first, so someone can still manage the roster"),
          action);
    }
    String summary =
        "About to change operator " + address + ":\n" + line("name", was.displayName(), would.displayName()) + line("role", was.role(), would.role())
            + line("daily cap", was.dailyCap(), would.dailyCap()) + line("per-minute cap", was.perMinuteCap(), would.perMinuteCap())
            + line("active", was.active(), would.active()) + "  changed by:     " + who.actor() + (who.byAgent() ? " for " + who.owner() : "");
    Optional<Roster.Operator> now = execute.apply(app, summary, action, () -> app.roster().update(address, change, app.clock().instant()));
    app.render(
        now.isEmpty()
            ? new OperatorsAddCommand.OperatorView("update", would, false, "dry run")
            : new OperatorsAddCommand.OperatorView("update", now.get(), true, "updated"));
    return 0;
  }

  private static String line(String what, Object was, Object now) {
    String label = String.format("  %-15s ", what + ":");
    return label + (was.equals(now) ? was + "\n" : was + " -> " + now + "\n");
  }
}
