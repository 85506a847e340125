package comms.core.reply;

import comms.core.store.ReplyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells people when a reply watch stays unhealthy: once it has been unhealthy for longer than the
 * contract's {@code watch.alert_after_minutes}, one message per incident (with the owner and how
 * long), and a second when it is healthy again. The incident and its alert are kept with the watch,
 * so several processes checking at once, or one checking every pass, send each message once.
 */
public final class WatchAlerts {
  /** Where the messages go (a Slack incoming webhook). */
  @FunctionalInterface
  public interface Channel {
    void post(String text);
  }

  private final ReplyStore store;
  private final Watches watches;
  private final Duration after;
  private final Channel channel;
  private final Consumer<String> notes;

  /** @param channel null when no webhook is configured: incidents are still recorded, and noted */
  public WatchAlerts(ReplyStore store, Watches watches, Duration after, Channel channel, Consumer<String> notes) {
    this.store = Objects.requireNonNull(store);
    this.watches = Objects.requireNonNull(watches);
    this.after = Objects.requireNonNull(after);
    this.channel = channel;
    this.notes = notes == null ? s -> {} : notes;
  }

  /** What a check sent: {@code alert} or {@code recovery}, for whom. */
  public record Sent(String owner, String kind, String text) {}

  /** Checks every watch as of {@code now}; the messages it sent. A message that could not be posted is tried again next check. */
  public synchronized List<Sent> check(Instant now) {
    List<Sent> out = new ArrayList<>();
    for (ReplyStore.Watch w : store.watches()) {
      Watches.Health h = watches.health(w.owner(), now);
      if (h.healthy()) {
        if (w.alertedAt() != null) {
          String text = "comms: the reply watch of " + w.owner() + " is healthy again (synced at " + h.lastSuccessAt() + ") after "
              + minutes(Duration.between(w.incidentSince(), h.lastSuccessAt())) + " unhealthy; later stages send again.";
          if (post(text)) {
            store.incident(w.owner(), null, null);
            out.add(new Sent(w.owner(), "recovery", text));
          }
        } else if (w.incidentSince() != null) {
          store.incident(w.owner(), null, null);
        }
        continue;
      }
      Instant since = w.incidentSince() != null ? w.incidentSince() : h.unhealthySince();
      if (since == null) {
        continue;
      }
      if (w.incidentSince() == null) {
        store.incident(w.owner(), since, null);
      }
      if (w.alertedAt() == null && Duration.between(since, now).compareTo(after) > 0) {
        String text = "comms: the reply watch of " + w.owner() + " has been unhealthy for " + minutes(Duration.between(since, now))
            + (h.lastSuccessAt() == null ? " (it has never synced)" : " (last sync at " + h.lastSuccessAt() + ")")
            + (h.lastError() == null ? "" : "; last error: " + h.lastError())
            + ". Replies are not being read, so their multi-stage sequences hold their later stages. Someone must look at it.";
        if (post(text)) {
          store.incident(w.owner(), since, now);
          out.add(new Sent(w.owner(), "alert", text));
        }
      }
    }
    return out;
  }

  private boolean post(String text) {
    if (channel == null) {
      notes.accept("no Slack webhook is configured (watch.alert_webhook_env), so this was not sent: " + text);
      return true;
    }
    try {
      channel.post(text);
      return true;
    } catch (RuntimeException e) {
      notes.accept("watch alert not delivered: " + e.getMessage());
      return false;
    }
  }

  static String minutes(Duration d) {
    long m = Math.max(0, d.toMinutes());
    return m >= 120 ? (m / 60) + " hours " + (m % 60) + " minutes" : m + " minutes";
  }
}
