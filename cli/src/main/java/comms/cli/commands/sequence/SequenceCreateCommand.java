package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.operator.AuditTrail;
import comms.core.sequence.SequenceFile;
import comms.core.sequence.SequenceService;
import comms.core.store.SequenceStore.SequenceRow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms sequence.create --file S.yaml`: a draft sequence from a sequence file. */
@ApprovalGated
@Command(
    name = "sequence.create",
    description = {
      "Create a draft sequence from a sequence file.",
      "The file holds name, owner, zone, window, holidays and stages (see bindings/schemas/sequence.schema.json). It is checked first, each refusal naming its line and field (exit 3).",
      "The owner is the acting operator (--as) unless an admin names another in the file; From: is the owner."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.create --file examples/sequences/welcome.sequence.yaml",
      "  echo yes | comms sequence.create --as sam@lakesideprint.com \\",
      "      --file examples/sequences/welcome.sequence.yaml --execute"
    })
public final class SequenceCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--file", required = true, paramLabel = "S.yaml", description = "The sequence file.")
  Path file;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SequenceService.Draft draft = Sequences.draft(app, file);
    String summary =
        "About to create a draft sequence:\n  name:   " + draft.name() + "\n  owner:  " + (draft.owner() == null ? app.identity().owner() : draft.owner())
            + "\n  zone:   " + draft.plan().zone() + "\n  window: " + draft.plan().windowStart() + "-" + draft.plan().windowEnd() + "\n  stages: "
            + draft.plan().stages().size();
    AuditTrail.Action action = AuditTrail.Action.of("sequence.create", "sequence", null);
    if (!execute.approved(app, summary, action)) {
      app.render(new SequenceViews.DraftView(draft, app.identity().owner()));
      return 0;
    }
    SequenceRow created = Sequences.service(app).create(app.identity(), draft, app.audit());
    app.artifact(app.outbox().store());
    app.render(SequenceShowCommand.view(app, created, "created as a draft; add recipients with comms sequence.add-recipients " + created.id() + " --file R.csv --execute"));
    return 0;
  }
}
