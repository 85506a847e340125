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
import picocli.CommandLine.Spec;

/** `comms snippet.create`: version 1 of a new snippet, its body using only its declared variables. */
@ApprovalGated
@Command(
    name = "snippet.create",
    description = {
      "Create a snippet with declared variables.",
      "A snippet is a reusable message text; its id comes from its name (Renewal gives renewal).",
      "The body (and subject) may use only the --variables declared; an undeclared {{name}} is refused with its line (exit 3).",
      "A --shared snippet is readable by every operator, and a sequence may pin a version only after a second operator co-signs it."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms snippet.create --name Renewal --channel email \\",
      "      --subject 'Your renewal, {{first_name}}' \\",
      "      --file examples/snippets/renewal.txt --variables first_name,plan_name",
      "  echo yes | comms snippet.create --name Pickup --channel sms \\",
      "      --file examples/snippets/pickup.txt --variables first_name \\",
      "      --shared --execute"
    })
public final class SnippetCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--name", required = true, paramLabel = "N", description = "What operators call it (searched).")
  String name;

  @Option(names = "--channel", required = true, paramLabel = "email|sms", description = "The channel it is written for.")
  String channel;

  @Option(names = "--file", required = true, paramLabel = "BODY", description = "A UTF-8 text file holding the body.")
  Path file;

  @Option(names = "--subject", paramLabel = "S", description = "The subject (email snippets need one).")
  String subject;

  @Option(names = "--shared", description = "Readable by every operator; each version needs a co-sign before use.")
  boolean shared;

  @Option(
      names = "--variables",
      required = true,
      split = ",",
      paramLabel = "a,b,c",
      description = "The variables the text may use ('' for none).")
  List<String> variables;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SnippetService service = Snippets.service(app);
    Path body = Sequences.input(app, file);
    SnippetService.Draft draft =
        new SnippetService.Draft(name, channel, subject, BodyFile.read(body, "--file"), file.toString(), shared, SnippetCommands.names(variables));
    SnippetVersion prepared = service.prepareCreate(app.identity(), draft);
    AuditTrail.Action action = AuditTrail.Action.of("snippet.create", "snippet", null);
    if (!Approval.granted(app, execute.execute, SnippetCommands.summary("create snippet", prepared), action)) {
      app.render(new SnippetViews.VersionView(prepared, null, false, "dry run: nothing was written; add --execute to create it"));
      return 0;
    }
    SnippetVersion created = service.create(app.identity(), draft, app.audit());
    app.artifact(app.outbox().store());
    app.render(new SnippetViews.VersionView(created, null, true, SnippetCommands.next(created)));
    return 0;
  }
}
