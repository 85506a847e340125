package comms.cli.commands.sequence;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.approval.Approvals;
import comms.core.operator.AuditTrail;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What approval.confirm, .request and .issue share: the sequence, its recipient-set hash, the prompt and the view. */
public final class ApprovalCommands {
  private ApprovalCommands() {}

  /** What was given: the approval's id, kind, expiry, and a token once (shown on this run only, never stored). */
  record GivenView(String sequenceId, String id, String kind, String approver, int recipients, String expiresAt, String token, boolean written) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sequence_id", sequenceId);
      m.put("approval_id", id);
      m.put("kind", kind);
      m.put("approver", approver);
      m.put("recipients", recipients);
      m.put("expires_at", expiresAt);
      if (token != null) {
        m.put("token", token);
      }
      m.put("written", written);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields(
          "sequence", sequenceId, "approval", written ? id : "(dry run: none recorded)", "kind", kind, "approver", approver,
          "recipients", String.valueOf(recipients), "expires at", expiresAt);
      if (token != null) {
        p.line("token (shown once, never stored; cite it as --approval token:" + token + ")");
      }
    }
  }

  /** The kinds a person gives: confirm (an operator confirms), multipov (a review is opened), token (an admin issues one). */
  interface Give {
    Approvals.Given give(Approvals a, SequenceRow seq, String hash, AuditTrail audit);
  }

  static int run(App app, String id, boolean execute, String kind, String what, Give give) {
    SequenceRow seq = Sequences.service(app).find(id).orElseThrow(() -> new CommsException(ExitCode.USAGE, "there is no sequence " + id + "; comms sequence.list shows them"));
    List<String> set = EnrollmentStore.of(app.store()).liveRecipients(seq.id());
    if (set.isEmpty()) {
      throw new CommsException(ExitCode.CONTRACT, seq.id() + " has no recipients yet; an approval binds to a recipient set, so add them first");
    }
    String hash = Approvals.recipientSetHash(seq.id(), set);
    String summary =
        "About to " + what + ":\n  sequence:   " + seq.id() + " (" + seq.name() + ", owner " + seq.owner() + ")\n  recipients: " + set.size()
            + " (this exact set; adding one voids the approval)\n  by:         " + app.identity().owner();
    AuditTrail.Action action = AuditTrail.Action.of("approval." + kind, "approval", null).with("sequence_id", seq.id());
    if (!Approval.granted(app, execute, summary, action)) {
      app.render(new GivenView(seq.id(), null, kind, app.identity().owner(), set.size(), null, null, false));
      return 0;
    }
    Approvals.Given g = give.give(Sequences.approvals(app, app.clock()), seq, hash, app.audit());
    app.artifact(app.outbox().store());
    app.render(new GivenView(seq.id(), g.approval().id(), g.approval().kind(), g.approval().approver(), set.size(), g.approval().expiresAt().toString(), g.token(), true));
    return 0;
  }
}
