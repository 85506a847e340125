package comms.cli.commands.replies;

import comms.cli.commands.sequence.Sequences;
import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.store.EngagementStore;
import comms.core.store.SequenceStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms engagement.status [--sequence ID]`: what the engagement webhooks said, counted. */
@Command(
    name = "engagement.status",
    description = {
      "Count the engagement webhooks ingested.",
      "Delivered, human-shaped opens, machine opens ignored (by the rule that discounted them), clicks, hard and soft bounces, complaints, and webhooks refused for a bad or stale signature. With --sequence only that sequence's events count; refused webhooks cannot be tied to a sequence and are always shown in full."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms engagement.status",
      "  comms engagement.status --sequence Welcome --output json"
    })
public final class EngagementStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--sequence", paramLabel = "ID", description = "Only this sequence (its id, or its name among your sequences in play).")
  String sequence;

  record StatusView(String sequenceId, EngagementStore.Counts c) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sequence_id", sequenceId);
      m.put("delivered", c.delivered());
      m.put("human_opens", c.humanOpens());
      m.put("machine_opens_ignored", c.machineOpens());
      m.put("machine_opens_by_rule", c.machineOpensByRule());
      m.put("clicks", c.clicks());
      m.put("hard_bounces", c.hardBounces());
      m.put("soft_bounces", c.softBounces());
      m.put("complaints", c.complaints());
      m.put("other_events", c.other());
      m.put("unmatched_events", c.unmatched());
      m.put("refused_signatures", c.refused());
      m.put("refused_by_reason", c.refusedByReason());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("engagement" + (sequenceId == null ? "" : " of " + sequenceId));
      p.fields(
          "delivered", String.valueOf(c.delivered()),
          "human opens", String.valueOf(c.humanOpens()),
          "machine opens ignored", c.machineOpens() + (c.machineOpensByRule().isEmpty() ? "" : " " + c.machineOpensByRule()),
          "clicks", String.valueOf(c.clicks()),
          "bounces", c.hardBounces() + " hard, " + c.softBounces() + " soft",
          "complaints", String.valueOf(c.complaints()),
          "not tied to a stage send", String.valueOf(c.unmatched()),
          "refused webhooks", c.refused() + (c.refusedByReason().isEmpty() ? "" : " " + c.refusedByReason()));
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    String id = null;
    if (sequence != null) {
      id = Sequences.service(app).mine(app.identity(), sequence).id();
    }
    app.render(new StatusView(id, EngagementStore.of(app.store()).counts(id)));
    return 0;
  }
}
