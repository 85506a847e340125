package comms.cli.commands.snippet;

import comms.cli.commands.ExecuteOption;
import comms.cli.commands.sequence.Approval;
import comms.cli.commands.sequence.Sequences;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.mail.BodyFile;
import comms.core.operator.AuditTrail;
import comms.core.snippet.SnippetService;
import comms.core.store.SnippetStore.SnippetVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms snippet.edit ID`: a new version after the latest one; no version is ever changed. */
@ApprovalGated
@Command(
    name = "snippet.edit",
    description = {
      "Edit a snippet into a new version.",
      "The new version follows the latest one (its parent_id).",
      "The old versions stay readable and pinned sequences keep theirs. What you leave out is kept. A shared snippet's new version needs a new co-sign."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.edit renewal --subject 'Renewing soon, {{first_name}}'",
      "  echo yes | comms snippet.edit renewal \\",
      "      --file examples/snippets/renewal.txt --execute"
    })
public final class SnippetEditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The snippet (its latest version is the parent).")
  String id;

  @Option(names = "--file", paramLabel = "BODY", description = "A UTF-8 text file holding the new body.")
  Path file;

  @Option(names = "--name", paramLabel = "N", description = "A new name.")
  String name;

  @Option(names = "--subject", paramLabel = "S", description = "A new subject (email).")
  String subject;

  @Option(names = "--variables", split = ",", paramLabel = "a,b,c", description = "The new list of declared variables.")
  List<String> variables;

  @Option(names = "--shared", description = "Share a private snippet (its new version then needs a co-sign).")
  boolean shared;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SnippetService service = Snippets.service(app);
    String body = file == null ? null : BodyFile.read(Sequences.input(app, file), "--file");
    SnippetService.Draft draft =
        new SnippetService.Draft(name, null, subject, body, file == null ? null : file.toString(), shared ? Boolean.TRUE : null, SnippetCommands.names(variables));
    if (file == null && name == null && subject == null && variables == null && !shared) {
      throw comms.core.CommsException.usage("say what changes: --file, --name, --subject, --variables or --shared; nothing was written");
    }
    SnippetVersion prepared = service.prepareEdit(app.identity(), id, draft);
    AuditTrail.Action action = AuditTrail.Action.of("snippet.edit", "snippet", prepared.id()).with("version", prepared.version());
    if (!Approval.granted(app, execute.execute, SnippetCommands.summary("write a new version of a snippet", prepared), action)) {
      app.render(new SnippetViews.VersionView(prepared, null, false, "dry run: nothing was written; add --execute to write version " + prepared.version()));
      return 0;
    }
    SnippetVersion written = service.edit(app.identity(), id, draft, app.audit());
    app.artifact(app.outbox().store());
    app.render(new SnippetViews.VersionView(written, null, true, SnippetCommands.next(written)));
    return 0;
  }
}
