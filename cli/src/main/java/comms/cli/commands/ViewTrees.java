package comms.cli.commands;

import comms.cli.commands.sequence.SequenceAddRecipientsCommand;
import comms.cli.commands.sequence.SequenceShowCommand;
import comms.cli.commands.sequence.SequenceViews;
import comms.cli.commands.status.AuditCommand;
import comms.cli.App;
import comms.core.sequence.Enrollment;
import comms.core.store.AuditLog;
import comms.core.store.SequenceStore;
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

  /** What {@code comms sequence.add-recipients ID -o json} prints for {@code r}. */
  public static Object added(String sequenceId, Enrollment.Result r) {
    return new SequenceAddRecipientsCommand.AddView(sequenceId, r).tree();
  }

  /** What {@code comms audit -o json} prints. */
  public static Object audit(String scope, List<AuditLog.Entry> rows) {
    return new AuditCommand.AuditView(scope, rows).tree();
  }
}
