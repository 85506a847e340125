package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.operator.AuditTrail;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms suppression.remove`: lift a suppression (kept as history), with manual approval. */
@ApprovalGated
@Command(
    name = "suppression.remove",
    description = {
      "Lift a suppression of an address, number or domain.",
      "The store keeps the lifted suppression as history.",
      "Without --execute it is a dry run; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms suppression.remove --domain example.net --reason \"asked to hear from us\""
    })
public final class SuppressionRemoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SuppressionTarget target;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why it is lifted (shown in the prompt and kept in the receipt).")
  String reason;

  @Option(names = "--execute", description = "Remove it (after approval). Without it: a dry run.")
  boolean execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    String kind = target.kind();
    String value = target.value();
    boolean changed = false;
    String note = "dry run";
    AuditTrail.Action action = SuppressionTarget.action("suppression.remove", kind, value);
    if (Approval.granted(app, execute, "About to lift the suppression of " + kind + " " + value + (reason == null ? "" : "\n  reason: " + reason), action)) {
      changed = app.audit().apply(action, () -> app.store().removeSuppression(kind, value, app.clock().instant()), SuppressionTarget::outcome);
      note = changed ? "suppression lifted" : "no suppression of " + kind + " " + value + " was in force; nothing changed";
      app.artifact(app.outbox().store());
    }
    app.render(new SuppressionAddCommand.ChangeView("remove", kind, value, reason, changed, note));
    return 0;
  }
}
