package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.sequence.SequenceService;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.function.Supplier;

/** What every versioned sequence change does around core's call: the dry run, the yes on stdin, the view. */
public final class SequenceChange {
  private SequenceChange() {}

  /** A versioned state change of core's sequence service (pause, resume, stop). */
  interface VersionedChange {
    SequenceRow apply(SequenceService service, Identity who, String id, int version, AuditTrail audit);
  }

  /** The whole of a versioned state change command: find the caller's sequence, then {@link #apply} {@code change} at the version read. */
  static int apply(App app, ExecuteOption execute, VersionedSequence target, String verb, String what, VersionedChange change) {
    SequenceService service = Sequences.service(app);
    SequenceRow before = service.mine(app.identity(), target.id);
    return apply(app, execute.execute, before, verb, what, () -> change.apply(service, app.identity(), before.id(), target.stateVersion, app.audit()));
  }

  /**
   * Shows {@code what} will happen to {@code before}; without --execute a dry run, else asks and, on
   * yes, applies {@code change} (core writes its audit row) and renders the sequence after it.
   */
  static int apply(App app, boolean execute, SequenceRow before, String verb, String what, Supplier<SequenceRow> change) {
    String summary =
        "About to " + what + ":\n  sequence:      " + before.id() + " (" + before.name() + ")\n  owner:         " + before.owner()
            + "\n  state:         " + before.state() + " (state_version " + before.stateVersion() + ")";
    AuditTrail.Action action = AuditTrail.Action.of(verb, "sequence", before.id()).with("state_version", before.stateVersion());
    if (!Approval.granted(app, execute, summary, action)) {
      app.render(SequenceShowCommand.view(app, before, "dry run: nothing was changed; add --execute to " + what));
      return 0;
    }
    SequenceRow after = change.get();
    app.artifact(app.outbox().store());
    app.render(SequenceShowCommand.view(app, after, null));
    return 0;
  }
}
