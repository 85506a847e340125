package comms.cli.commands.sequence;

import comms.cli.commands.send.Imessages;
import comms.cli.App;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms sequence.show ID`: one sequence, its stages, recipients by state, next due sends and problems. */
@Command(
    name = "sequence.show",
    description = {
      "Show one sequence, its stages and next sends.",
      "Shows stages, window, holidays, recipients by state, the next due sends, and failed or dead-lettered stage sends."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.show Welcome",
      "  comms sequence.show Welcome --output json"
    })
public final class SequenceShowCommand implements Callable<Integer> {
  static final List<String> PROBLEMS = List.of("failed", "dead_letter", "blocked", "unknown");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Override
  public Integer call() {
    App app = App.of(spec);
    SequenceRow s = Sequences.service(app).mine(app.identity(), id);
    app.render(view(app, s, null));
    return 0;
  }

  /** The full view of {@code s} as it is now. */
  public static SequenceViews.SequenceView view(App app, SequenceRow s, String note) {
    List<EnrollmentStore.EnrollmentRow> due =
        EnrollmentStore.of(app.store()).inSequence(s.id()).stream()
            // Paused ones too (an out-of-office): their reason says until when and why.
            .filter(e -> (e.state().equals("active") || e.state().equals("paused")) && e.nextDueAt() != null)
            .sorted(Comparator.comparing(EnrollmentStore.EnrollmentRow::nextDueAt))
            .limit(10)
            .toList();
    List<StageSendStore.StageSendRow> problems =
        StageSendStore.of(app.store()).inSequence(s.id()).stream().filter(r -> PROBLEMS.contains(r.state())).toList();
    boolean imessage = comms.core.sequence.SequencePlan.fromJson(s.definitionJson()).stages().stream().anyMatch(st -> st.medium().equals("imessage"));
    return new SequenceViews.SequenceView(s, SequenceStore.of(app.store()).counts(s.id()), due, problems, note, imessage ? comms.cli.commands.send.Imessages.health(app) : null);
  }
}
