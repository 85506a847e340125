package comms.cli.commands;

import comms.cli.commands.sequence.SequenceAddRecipientsCommand;
import comms.cli.commands.sequence.SequenceShowCommand;
import comms.cli.commands.sequence.SequenceViews;
import comms.cli.commands.status.AuditCommand;
import comms.cli.commands.consent.ConsentRecordCommand;
import comms.cli.commands.consent.ListChanges;
import comms.cli.commands.consent.SuppressionAddCommand;
import comms.cli.commands.snippet.SnippetCommands;
import comms.cli.commands.snippet.SnippetViews;
import comms.cli.App;
import comms.core.sequence.Enrollment;
import comms.core.store.AuditLog;
import comms.core.store.SequenceStore;
import comms.core.store.SnippetStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trees of the commands' views, for the HTTP API of {@code comms serve}: an endpoint answers the
 * same JSON that the matching command prints with {@code --output json}, from the same view records.
 */
public final class ViewTrees {
  private ViewTrees() {}

  /** What {@code comms sequence.show ID -o json} prints for {@code s}. */
  public static Object sequence(App app, SequenceRow s) {
    return SequenceShowCommand.view(app, s, null).tree();
  }

  /** What {@code comms sequence.list -o json} prints for {@code rows}. */
  public static Object sequences(App app, List<SequenceRow> rows) {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (SequenceRow s : rows) {
      counts.put(s.id(), SequenceStore.of(app.store()).counts(s.id()));
    }
    return new SequenceViews.ListView(rows, counts).tree();
  }

  /** What {@code comms sequence.recipients ID -o json} prints: the enrollments of {@code s}. */
  public static Object recipients(App app, SequenceRow s) {
    return new SequenceViews.RecipientsView(s.id(), comms.core.store.EnrollmentStore.of(app.store()).inSequence(s.id())).tree();
  }

  /** What {@code comms sequence.add-recipients ID -o json} prints for {@code r}. */
  public static Object added(String sequenceId, Enrollment.Result r) {
    return new SequenceAddRecipientsCommand.AddView(sequenceId, r).tree();
  }

  /** What {@code comms snippet.show -o json} (with {@code history}) or snippet.create/.edit/.cosign --execute (without) prints. */
  public static Object snippet(SnippetStore.SnippetVersion v, List<SnippetStore.SnippetVersion> history, String note) {
    return new SnippetViews.VersionView(v, history, true, note).tree();
  }

  /** The next step after writing {@code v}, as the snippet commands say it. */
  public static String snippetNext(SnippetStore.SnippetVersion v) {
    return SnippetCommands.next(v);
  }

  /** What {@code comms snippet.list -o json} prints. */
  public static Object snippets(List<SnippetStore.SnippetVersion> rows) {
    return new SnippetViews.ListView(rows).tree();
  }

  /** What {@code comms snippet.search QUERY -o json} prints. */
  public static Object snippetSearch(String query, List<SnippetStore.Hit> hits) {
    return new SnippetViews.SearchView(query, hits).tree();
  }

  /** What {@code comms consent.record -o json} prints. */
  public static Object consent(ListChanges.Consent c, boolean recorded) {
    return new ConsentRecordCommand.ConsentView(c.channel(), c.recipient(), c.state(), c.source(), recorded).tree();
  }

  /** What {@code comms suppression.add} or {@code .remove -o json} prints. */
  public static Object suppression(String action, ListChanges.Target t, String reason, boolean changed, String note) {
    return new SuppressionAddCommand.ChangeView(action, t.kind(), t.value(), reason, changed, note).tree();
  }

  /** What {@code comms audit -o json} prints. */
  public static Object audit(String scope, List<AuditLog.Entry> rows) {
    return new AuditCommand.AuditView(scope, rows).tree();
  }
}
