package comms.cli.commands.replies;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.reply.Watches;
import comms.core.store.ReplyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms replies.status`: each owner's reply watch (healthy or not, last sync, last error) and what the syncs read lately. */
@Command(
    name = "replies.status",
    description = {
      "Show each owner's reply watch.",
      "A watch is healthy when its owner's replies.sync succeeded within the sequences contract's watch.max_age_minutes; without one, multi-stage sequences of that owner are not launched and their later stages wait. Shows when each watch last synced, its last error, whether an alert is out, and the newest inbound messages with what they were taken for."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms replies.status",
      "  comms replies.status --output json"
    })
public final class RepliesStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  record StatusView(Instant at, List<Watches.Health> health, List<ReplyStore.Watch> watches, List<ReplyStore.Inbound> recent) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", at.toString());
      List<Object> ws = new ArrayList<>();
      for (int i = 0; i < watches.size(); i++) {
        ReplyStore.Watch w = watches.get(i);
        Watches.Health h = health.get(i);
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("owner", w.owner());
        x.put("source", w.source());
        x.put("healthy", h.healthy());
        x.put("last_success_at", text(w.lastSuccessAt()));
        x.put("last_attempt_at", text(w.lastAttemptAt()));
        x.put("last_error", w.lastError());
        x.put("unhealthy_since", text(h.unhealthySince()));
        x.put("alerted_at", text(w.alertedAt()));
        ws.add(x);
      }
      m.put("watches", ws);
      m.put("recent", recent.stream().map(r -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("owner", r.owner());
        x.put("from", r.sender());
        x.put("class", r.kind());
        x.put("match_reason", r.matchReason());
        x.put("action", r.action());
        x.put("detail", r.detail());
        x.put("received_at", r.receivedAt().toString());
        return x;
      }).toList());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("reply watches at " + at);
      if (watches.isEmpty()) {
        p.line("no reply sync has run yet: comms replies.sync (multi-stage sequences need one within the last few minutes)");
        return;
      }
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < watches.size(); i++) {
        ReplyStore.Watch w = watches.get(i);
        Watches.Health h = health.get(i);
        rows.add(List.of(w.owner(), w.source(), p.status(h.healthy() ? "healthy" : "unhealthy"), text(w.lastSuccessAt(), "never"),
            w.lastError() == null ? "-" : w.lastError(), w.alertedAt() == null ? "-" : "alerted " + w.alertedAt()));
      }
      p.table(List.of("owner", "source", "watch", "last sync", "last error", "alert"), rows);
      if (!recent.isEmpty()) {
        p.blank();
        p.heading("newest inbound messages");
        p.table(List.of("owner", "from", "class", "matched by", "action", "received"),
            recent.stream().map(r -> List.of(r.owner(), r.sender() == null ? "-" : r.sender(), r.kind(), r.matchReason() == null ? "-" : r.matchReason(), r.action(),
                r.receivedAt().toString())).toList());
      }
    }

    private static String text(Instant i) {
      return i == null ? null : i.toString();
    }

    private static String text(Instant i, String none) {
      return i == null ? none : i.toString();
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    boolean admin = app.identity().admin();
    String me = app.identity().owner();
    ReplyStore store = ReplyStore.of(app.store());
    Watches watches = Replies.watches(app);
    Instant now = app.clock().instant();
    List<ReplyStore.Watch> ws = store.watches().stream().filter(w -> admin || w.owner().equals(me)).toList();
    List<Watches.Health> health = ws.stream().map(w -> watches.health(w.owner(), now)).toList();
    app.render(new StatusView(now, health, ws, store.inbound(admin ? null : me, 10)));
    return 0;
  }
}
