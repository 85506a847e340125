package comms.cli.commands.sequence;

import comms.cli.commands.send.ImessageHealthView;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.sequence.SequencePlan;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore.StageSendRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The views of sequences: one sequence with its stages and counts, a list, its recipients. */
public final class SequenceViews {
  private SequenceViews() {}

  static Map<String, Object> stage(int n, SequencePlan.StagePlan s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", n);
    m.put("medium", s.medium());
    m.put("delay", delay(s.delay()));
    m.put("trigger", s.trigger());
    if (s.fromSnippet()) {
      m.put("snippet", s.snippet());
      m.put("message_type", s.messageType());
    } else {
      m.put("template", s.template());
    }
    return m;
  }

  /** What a stage sends, for a table: its template, or the snippet version it pins. */
  static String text(SequencePlan.StagePlan s) {
    return s.fromSnippet() ? "snippet " + s.snippet() : s.template();
  }

  static String delay(java.time.Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long days = d.toDays();
    long hours = d.minusDays(days).toHours();
    long minutes = d.minusDays(days).minusHours(hours).toMinutes();
    return (days > 0 ? days + "d" : "") + (hours > 0 ? hours + "h" : "") + (minutes > 0 ? minutes + "m" : "");
  }

  // The JSON shapes of a sequence in a list, a due send and a problem send: one source for sequence.list,
  // sequence.show, sequence.run and comms serve's GET /api/status.

  /** A sequence as a list shows it: id, name, owner, state, state_version and recipients by state. */
  public static Map<String, Object> line(SequenceRow s, Map<String, Integer> counts) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("id", s.id());
    x.put("name", s.name());
    x.put("owner", s.owner());
    x.put("state", s.state());
    x.put("state_version", s.stateVersion());
    x.put("counts", counts);
    return x;
  }

  /** A recipient's next due send; {@code sequenceId} leads it where several sequences are listed together (else null, left out). */
  public static Map<String, Object> due(String sequenceId, EnrollmentRow e) {
    Map<String, Object> x = new LinkedHashMap<>();
    if (sequenceId != null) {
      x.put("sequence_id", sequenceId);
    }
    x.put("enrollment_id", e.id());
    x.put("email", e.email());
    x.put("stage", e.nextStage());
    x.put("state", e.state());
    x.put("due_at", e.nextDueAt() == null ? null : e.nextDueAt().toString());
    x.put("paused_until", e.pausedUntil() == null ? null : e.pausedUntil().toString());
    x.put("reason", e.reason());
    return x;
  }

  /** A failed, dead-lettered, blocked or unknown send; {@code sequenceId} as in {@link #due}. */
  public static Map<String, Object> problem(String sequenceId, String enrollmentId, Integer stage, String status, String error) {
    Map<String, Object> x = new LinkedHashMap<>();
    if (sequenceId != null) {
      x.put("sequence_id", sequenceId);
    }
    x.put("enrollment_id", enrollmentId);
    x.put("stage", stage);
    x.put("status", status);
    x.put("error_message", error);
    return x;
  }

  /** One sequence: what sequence.create, .show and the state changes answer. */
  public record SequenceView(
      SequenceRow s, Map<String, Integer> counts, List<EnrollmentRow> nextDue, List<StageSendRow> problems, String note,
      comms.core.imessage.DaemonDesk.Health imessage) implements View {
    public SequenceView(SequenceRow s, Map<String, Integer> counts, List<EnrollmentRow> nextDue, List<StageSendRow> problems, String note) {
      this(s, counts, nextDue, problems, note, null);
    }

    @Override
    public Object tree() {
      SequencePlan plan = SequencePlan.fromJson(s.definitionJson());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.id());
      m.put("name", s.name());
      m.put("owner", s.owner());
      m.put("state", s.state());
      m.put("state_version", s.stateVersion());
      m.put("zone", plan.zone().getId());
      m.put("window", Map.of("start", plan.windowStart().toString(), "end", plan.windowEnd().toString()));
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("country", plan.holidayCountry());
      h.put("subdivision", plan.holidaySubdivision());
      h.put("extra_dates", plan.extraHolidays().stream().map(Object::toString).toList());
      m.put("holidays", h);
      List<Object> stages = new ArrayList<>();
      for (int i = 0; i < plan.stages().size(); i++) {
        stages.add(stage(i + 1, plan.stages().get(i)));
      }
      m.put("stages", stages);
      m.put("counts", counts);
      m.put("created_at", s.createdAt().toString());
      m.put("launched_at", s.launchedAt() == null ? null : s.launchedAt().toString());
      m.put("next_due", nextDue.stream().map(e -> due(null, e)).toList());
      m.put("problems", problems.stream().map(r -> problem(null, r.enrollmentId(), r.stage(), r.state(), r.errorMessage())).toList());
      if (imessage != null) {
        m.put("imessage_daemon", comms.cli.commands.send.ImessageHealthView.tree(imessage));
      }
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      SequencePlan plan = SequencePlan.fromJson(s.definitionJson());
      p.heading("sequence " + s.id());
      p.fields(
          "name", s.name(), "owner", s.owner(), "state", p.status(s.state()), "state version", String.valueOf(s.stateVersion()),
          "zone", plan.zone().getId(), "window", plan.windowStart() + "–" + plan.windowEnd(),
          "holidays", plan.holidayCountry() == null ? "none" : plan.holidayCountry() + (plan.holidaySubdivision() == null ? "" : "-" + plan.holidaySubdivision())
              + (plan.extraHolidays().isEmpty() ? "" : " + " + plan.extraHolidays()),
          "launched", s.launchedAt() == null ? null : s.launchedAt().toString());
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < plan.stages().size(); i++) {
        SequencePlan.StagePlan st = plan.stages().get(i);
        rows.add(List.of(String.valueOf(i + 1), st.medium(), delay(st.delay()), st.trigger(), text(st)));
      }
      p.blank();
      p.table(List.of("stage", "medium", "delay", "trigger", "template"), rows);
      p.blank();
      p.heading("recipients by state");
      List<String> kv = new ArrayList<>();
      counts.forEach((k, v) -> {
        kv.add(k);
        kv.add(String.valueOf(v));
      });
      p.fields(kv.toArray(String[]::new));
      if (!nextDue.isEmpty()) {
        p.blank();
        p.heading("next due");
        p.table(
            List.of("recipient", "stage", "due at", "reason"),
            nextDue.stream().map(e -> List.of(e.email() != null ? e.email() : e.phone(), String.valueOf(e.nextStage()), String.valueOf(e.nextDueAt()), e.reason() == null ? "-" : e.reason())).toList());
      }
      if (!problems.isEmpty()) {
        p.blank();
        p.heading("failed, dead-lettered, blocked or unknown stage sends");
        p.table(
            List.of("enrollment", "stage", "status", "error"),
            problems.stream().map(r -> List.of(r.enrollmentId(), String.valueOf(r.stage()), p.status(r.state()), r.errorMessage() == null ? "-" : r.errorMessage())).toList());
      }
      if (imessage != null) {
        p.blank();
        p.fields("imessage daemon", imessage.summary());
      }
      if (note != null) {
        p.blank();
        p.line(note);
      }
    }
  }

  /** A draft not yet created (a dry run of sequence.create). */
  record DraftView(comms.core.sequence.SequenceService.Draft d, String actingOwner) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", null);
      m.put("name", d.name());
      m.put("owner", d.owner() == null ? actingOwner : d.owner());
      m.put("state", "draft (dry run: not created)");
      m.put("zone", d.plan().zone().getId());
      List<Object> stages = new ArrayList<>();
      for (int i = 0; i < d.plan().stages().size(); i++) {
        stages.add(stage(i + 1, d.plan().stages().get(i)));
      }
      m.put("stages", stages);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("sequence " + d.name() + " (dry run: not created)");
      p.fields("owner", d.owner() == null ? actingOwner : d.owner(), "zone", d.plan().zone().getId(), "window", d.plan().windowStart() + "–" + d.plan().windowEnd());
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < d.plan().stages().size(); i++) {
        SequencePlan.StagePlan st = d.plan().stages().get(i);
        rows.add(List.of(String.valueOf(i + 1), st.medium(), delay(st.delay()), st.trigger(), text(st)));
      }
      p.blank();
      p.table(List.of("stage", "medium", "delay", "trigger", "template"), rows);
    }
  }

  /** The sequences an operator may see. */
  public record ListView(List<SequenceRow> rows, Map<String, Map<String, Integer>> counts) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sequences", rows.stream().map(s -> line(s, counts.get(s.id()))).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      if (rows.isEmpty()) {
        p.line("no sequences yet; create one with comms sequence.create --file S.yaml --execute");
        return;
      }
      p.table(
          List.of("id", "name", "owner", "state", "version", "active", "completed", "replied"),
          rows.stream().map(s -> {
            Map<String, Integer> c = counts.get(s.id());
            return List.of(s.id(), s.name(), s.owner(), p.status(s.state()), String.valueOf(s.stateVersion()),
                String.valueOf(c.get("active")), String.valueOf(c.get("completed")), String.valueOf(c.get("replied")));
          }).toList());
    }
  }

  /** The enrollments of a sequence. */
  public record RecipientsView(String sequenceId, List<EnrollmentRow> rows) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sequence_id", sequenceId);
      m.put("recipients", rows.stream().map(e -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("enrollment_id", e.id());
        x.put("email", e.email());
        x.put("phone", e.phone());
        x.put("state", e.state());
        x.put("next_stage", e.nextStage());
        x.put("next_due_at", e.nextDueAt() == null ? null : e.nextDueAt().toString());
        x.put("paused_until", e.pausedUntil() == null ? null : e.pausedUntil().toString());
        x.put("reason", e.reason());
        return x;
      }).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.table(
          List.of("email", "phone", "state", "next stage", "next due", "reason"),
          rows.stream().map(e -> List.of(
              e.email() == null ? "-" : e.email(), e.phone() == null ? "-" : e.phone(), p.status(e.state()), String.valueOf(e.nextStage()),
              e.nextDueAt() == null ? "-" : e.nextDueAt().toString(), e.reason() == null ? "-" : e.reason())).toList());
    }
  }
}
