package comms.cli.commands.sequence;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.operator.AuditTrail;
import comms.core.sequence.Enrollment;
import comms.core.sequence.RecipientsFile;
import comms.core.store.SequenceStore.SequenceRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `comms sequence.add-recipients ID --file R.csv|R.jsonl`: enrollment with every check at add time. */
@ApprovalGated
@Command(
    name = "sequence.add-recipients",
    description = {
      "Add recipients to a sequence from a file.",
      "The file is a CSV (header email,phone,cc, then the variables) or JSON Lines. Every row is checked now, not at send time: a valid address or number, every variable the stages use, no suppression (address, domain, parent domain, number, CC), no recorded opt-out, no other active sequence of yours.",
      "Answers accepted[] and rejected[] with a reason such as suppressed:domain, invalid:double_at, already_active:SEQ or missing_variable:NAME. More than 2,000 rows is refused whole (exit 2); a malformed file changes nothing. Adding to an active sequence passes the recipient-count approval gate."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms sequence.add-recipients Welcome \\",
      "      --file examples/sequences/welcome.recipients.csv --output json"
    })
public final class SequenceAddRecipientsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Option(names = "--file", required = true, paramLabel = "R.csv|R.jsonl", description = "The recipients.")
  Path file;

  @Option(names = "--approval", paramLabel = "KIND:VALUE", description = "For adds to an active sequence: confirm:APPROVER, multipov:REVIEW_ID or token:TOKEN, as the count needs.")
  String approval;

  @Mixin ExecuteOption execute;

  public record AddView(String sequenceId, Enrollment.Result r) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sequence_id", sequenceId);
      m.put("written", r.written());
      m.put("accepted", r.accepted().stream().map(a -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("line", a.line());
        x.put("email", a.email());
        x.put("phone", a.phone());
        x.put("enrollment_id", r.written() ? a.enrollmentId() : null);
        return x;
      }).toList());
      m.put("rejected", r.rejected().stream().map(x -> {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("line", x.line());
        y.put("email", x.email());
        y.put("phone", x.phone());
        y.put("reason", x.reason());
        return y;
      }).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading(r.accepted().size() + " accepted, " + r.rejected().size() + " rejected" + (r.written() ? "" : " (dry run: nothing was added)"));
      if (!r.rejected().isEmpty()) {
        p.table(List.of("line", "recipient", "reason"),
            r.rejected().stream().map(x -> List.of(String.valueOf(x.line()), x.email() != null ? x.email() : x.phone() == null ? "-" : x.phone(), x.reason())).toList());
      }
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    SequenceRow seq = Sequences.service(app).mine(app.identity(), id);
    List<Enrollment.RecipientInput> rows = RecipientsFile.read(Sequences.input(app, file), Sequences.rules(app).maxRecipientsPerCall());
    Enrollment enrollment = Sequences.enrollment(app);
    boolean live = app.bindings().delivery().live();
    Enrollment.Result checked = enrollment.add(app.identity(), seq, rows, approval, false, live, app.audit());
    String summary =
        "About to add recipients to " + seq.id() + " (" + seq.name() + ", " + seq.state() + "):\n  accepted: " + checked.accepted().size()
            + "\n  rejected: " + checked.rejected().size() + " (listed in the result)";
    AuditTrail.Action action = AuditTrail.Action.of("sequence.add-recipients", "sequence", seq.id()).with("accepted", checked.accepted().size());
    if (checked.accepted().isEmpty() || !execute.approved(app, summary, action)) {
      app.render(new AddView(seq.id(), checked));
      return 0;
    }
    Enrollment.Result done = enrollment.add(app.identity(), seq, rows, approval, true, live, app.audit());
    app.artifact(app.outbox().store());
    app.render(new AddView(seq.id(), done));
    return 0;
  }
}
