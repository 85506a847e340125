package comms.cli.commands.snippet;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.sequence.Approval;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.operator.AuditTrail;
import comms.core.snippet.SnippetService;
import comms.core.store.SnippetStore.SnippetVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms snippet.cosign ID@VERSION`: a second operator's review of a shared version. */
@ApprovalGated
@Command(
    name = "snippet.cosign",
    description = {
      "Co-sign a shared snippet version for sequences.",
      "Sequences may pin a shared version only once it is co-signed.",
      "Only an operator other than the version's author co-signs it (exit 4 otherwise); an agent cannot. Read it first with comms snippet.show ID@VERSION."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.cosign renewal@1 --as sam@lakesideprint.com",
      "  echo yes | comms snippet.cosign renewal@1 \\",
      "      --as sam@lakesideprint.com --execute"
    })
public final class SnippetCosignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID@VERSION", description = "The version you reviewed.")
  String ref;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SnippetService service = Snippets.service(app);
    SnippetVersion v = service.show(app.identity(), ref).version();
    AuditTrail.Action action = AuditTrail.Action.of("snippet.cosign", "snippet", v.id()).with("version", v.version());
    service.cosignRefusal(app.identity(), v.ref()).ifPresent(r -> Approval.refuse(app, execute.execute, r, action));
    if (!Approval.granted(app, execute.execute, SnippetCommands.summary("co-sign, as " + app.identity().owner() + ", a shared snippet version", v), action)) {
      app.render(new SnippetViews.VersionView(v, null, true, "dry run: not co-signed; add --execute to co-sign " + v.ref()));
      return 0;
    }
    SnippetVersion signed = service.cosign(app.identity(), v.ref(), app.audit());
    app.artifact(app.outbox().store());
    app.render(new SnippetViews.VersionView(signed, null, true, "co-signed; sequences may now pin it with snippet: " + signed.ref()));
    return 0;
  }
}
