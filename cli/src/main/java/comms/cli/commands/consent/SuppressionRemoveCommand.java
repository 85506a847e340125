package comms.cli.commands.consent;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.operator.AuditTrail;
import java.util.Optional;
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

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    String kind = target.kind();
    String value = target.value();
    AuditTrail.Action action = SuppressionTarget.action("suppression.remove", kind, value);
    Optional<Boolean> changed =
        execute.apply(
            app, "About to lift the suppression of " + kind + " " + value + (reason == null ? "" : "\n  reason: " + reason), action,
            () -> app.store().removeSuppression(kind, value, app.clock().instant()), SuppressionTarget::outcome);
    String note =
        changed.isEmpty() ? "dry run" : changed.get() ? "suppression lifted" : "no suppression of " + kind + " " + value + " was in force; nothing changed";
    app.render(new SuppressionAddCommand.ChangeView("remove", kind, value, reason, changed.orElse(false), note));
    return 0;
  }
}
