package comms.cli.commands.consent;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import comms.core.operator.AuditTrail;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms suppression.add`: stop all sends to an address, number or domain, with manual approval. */
@ApprovalGated
@Command(
    name = "suppression.add",
    description = {
      "Suppress an address, number or domain.",
      "Every later send to a suppressed address, E.164 number or email domain (and its subdomains) is blocked.",
      "Without --execute it is a dry run; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms suppression.add --domain example.net --reason \"asked us to stop\"",
      "  echo yes | comms suppression.add --address lee.park@example.com \\",
      "      --reason \"hard bounce\" --execute"
    })
public final class SuppressionAddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SuppressionTarget target;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, e.g. 'bounced' or 'asked not to be contacted'.")
  String reason;

  @Mixin ExecuteOption execute;

  /** A suppression change as shown. */
  record ChangeView(String action, String kind, String value, String reason, boolean changed, String note) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", action);
      m.put("kind", kind);
      m.put("value", value);
      m.put("reason", reason);
      m.put("changed", changed);
      m.put("note", note);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields("action", action, "kind", kind, "value", value, "reason", reason, "changed", changed ? "yes" : "no");
      if (note != null) {
        p.line(note);
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    String kind = target.kind();
    String value = target.value();
    if (reason.isBlank()) {
      throw new CommsException(ExitCode.USAGE, "--reason is empty; say why this is suppressed");
    }
    AuditTrail.Action action = SuppressionTarget.action("suppression.add", kind, value);
    Optional<Boolean> changed =
        execute.apply(
            app, "About to suppress " + kind + " " + SuppressionTarget.shown(kind, value) + "\n  reason: " + reason, action,
            () -> app.store().addSuppression(kind, value, reason, app.clock().instant()), SuppressionTarget::outcome);
    String note = changed.isEmpty() ? "dry run" : changed.get() ? "suppressed" : "already suppressed; nothing changed";
    app.render(new ChangeView("add", kind, value, reason, changed.orElse(false), note));
    return 0;
  }
}
