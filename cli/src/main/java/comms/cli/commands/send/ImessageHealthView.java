package comms.cli.commands.send;

import comms.core.imessage.DaemonDesk;
import java.util.LinkedHashMap;
import java.util.Map;

/** The iMessage daemon's health as sequence.show and the dashboard show it: switched on, its last poll, healthy (≤ 5 minutes), texts waiting. */
public final class ImessageHealthView {
  private ImessageHealthView() {}

  public static Map<String, Object> tree(DaemonDesk.Health h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", h.enabled());
    m.put("daemon_id", h.daemonId());
    m.put("last_seen_at", h.lastSeenAt() == null ? null : h.lastSeenAt().toString());
    m.put("healthy", h.healthy());
    m.put("healthy_within_minutes", DaemonDesk.HEALTHY.toMinutes());
    m.put("pending", h.pending());
    m.put("summary", h.summary());
    return m;
  }
}
