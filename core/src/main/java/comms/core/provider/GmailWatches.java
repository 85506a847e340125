package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.store.GmailWatchStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Sets up and renews Gmail owners' {@code users.watch} on the inbox with the provider's Pub/Sub
 * topic, and keeps what Gmail answered (historyId, expiration) in the store. Gmail lets a watch
 * lapse after its expiration (about 7 days) and asks for a renewal at least that often; comms
 * renews when less than {@link GmailWatchStore#RENEW_BEFORE} is left, from replies.watch, replies.sync and the worker.
 */
public final class GmailWatches {
  private final GmailApi api;
  private final String topic;
  private final String provider;
  private final GmailWatchStore store;
  private final Clock clock;

  public GmailWatches(GmailApi api, String provider, String topic, GmailWatchStore store, Clock clock) {
    this.api = api;
    this.provider = provider;
    this.topic = topic;
    this.store = store;
    this.clock = clock;
  }

  /** Whether {@code w} needs a renewal at {@code now}. */
  public static boolean due(Optional<GmailWatchStore.GmailWatch> w, Instant now) {
    return w.isEmpty() || w.get().due(now);
  }

  /** Calls users.watch for {@code owner} and records the answer. */
  public GmailWatchStore.GmailWatch renew(String owner) {
    if (topic == null) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "provider " + provider + " names no Pub/Sub topic; add topic: projects/PROJECT_ID/topics/TOPIC to it in the providers contract (README, Gmail mailboxes)");
    }
    String user = Recipients.normalize(owner);
    GmailApi.Watch w = api.watch(user, topic);
    Instant now = clock.instant();
    store.watched(user, topic, w.historyId(), Instant.ofEpochMilli(w.expirationMs()), now);
    return store.watch(user).orElseThrow();
  }

  /** The owner's watch, renewed first when it is missing or due. */
  public GmailWatchStore.GmailWatch renewIfDue(String owner) {
    Optional<GmailWatchStore.GmailWatch> w = store.watch(owner);
    if (due(w, clock.instant()) || (topic != null && !topic.equals(w.get().topic()))) {
      return renew(owner);
    }
    return w.get();
  }
}
