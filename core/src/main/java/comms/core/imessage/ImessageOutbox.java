package comms.core.imessage;

import comms.core.contract.ProvidersContract;
import comms.core.delivery.ProviderDirectory;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.provider.ProviderException;
import comms.core.sequence.GovernedStageSender;
import comms.core.store.ImessageQueue;
import comms.core.store.Store;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the governed path of an iMessage stage hands its text over: the daemon's queue, not a
 * provider. The dispatch of an owner's iMessage path is one queue row (status {@code queued} on the
 * delivery log), keyed by its delivery id, so a run that re-dispatches an interrupted key queues it
 * once. The stage sender names the stage before each dispatch ({@link #next}).
 */
public final class ImessageOutbox implements GovernedStageSender.ImessageStaging {
  /** The provider_message_id prefix of a queued text: its queue row's id. */
  public static final String ID_PREFIX = "im_";

  private final Store store;
  private final Clock clock;
  private final String runKey;
  private final Map<String, Staged> next = new HashMap<>();

  private record Staged(String key, String messageType, String sequenceId, int stage) {}

  public ImessageOutbox(Store store, Clock clock, String runKey) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.runKey = runKey;
  }

  @Override
  public synchronized void next(String owner, String idempotencyKey, String messageType, String sequenceId, int stage) {
    next.put(owner, new Staged(idempotencyKey, messageType, sequenceId, stage));
  }

  /** The directory of {@code owner}'s iMessage path: whatever the message type's SMS route names, the text goes to the queue. */
  public ProviderDirectory directory(String owner) {
    return new ProviderDirectory() {
      @Override
      public Provider provider(ProvidersContract.Provider provider, boolean live) {
        return new Queue(owner, provider.name(), live);
      }

      @Override
      public boolean deduplicates(ProvidersContract.Provider provider, boolean live) {
        return true; // one row per delivery id: queuing the same delivery again adds nothing
      }
    };
  }

  private final class Queue implements Provider {
    private final String owner;
    private final String routeProvider;
    private final boolean live;

    Queue(String owner, String routeProvider, boolean live) {
      this.owner = owner;
      this.routeProvider = routeProvider;
      this.live = live;
    }

    @Override
    public String name() {
      return "imessage-queue";
    }

    @Override
    public DispatchResult send(Dispatch d) {
      Staged s;
      synchronized (ImessageOutbox.this) {
        s = next.get(owner);
      }
      if (s == null || !s.key().equals(d.idempotencyKey())) {
        throw new ProviderException(ProviderException.FAILED, "imessage_unstaged", "an iMessage reached the queue without its stage; nothing was queued", 0, false);
      }
      ImessageQueue.Queued row =
          ImessageQueue.of(store).enqueue(
              d.deliveryId(), d.idempotencyKey(), owner, d.to(), d.text(), s.messageType(), routeProvider, live ? "live" : "simulation", runKey, s.sequenceId(),
              s.stage(), clock.instant());
      return new DispatchResult("queued", row.id(), 1);
    }
  }
}
