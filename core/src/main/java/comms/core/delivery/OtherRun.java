package comms.core.delivery;

import comms.core.store.IdempotencyStore;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a run found after waiting for another run that holds the dispatch lock of the same message:
 * that run's finished entry (it marked the key done), or the lock it let go without doing so (it
 * failed, released the key or was killed: the claim will tell), or neither within the bound.
 */
record OtherRun(Optional<IdempotencyStore.IdempotencyEntry> finished, Optional<DispatchLock> lock) {
  private static final long POLL_MS = 50;

  /**
   * Polls the store and the dispatch lock for up to {@code bound}. Time is measured on the monotonic
   * clock, not the injected one: this waits on another process, and COMMS_NOW stands still.
   */
  static OtherRun await(Store store, Path locks, String key, Duration bound, Consumer<String> notes) {
    notes.accept("another run is sending this message (idempotency key " + key + ") right now; waiting up to "
        + bound.toMillis() / 1000.0 + " s for it to finish");
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      Optional<IdempotencyStore.IdempotencyEntry> done = store.idempotency(key).filter(IdempotencyStore.IdempotencyEntry::done);
      if (done.isPresent()) {
        return new OtherRun(done, Optional.empty());
      }
      Optional<DispatchLock> free = DispatchLock.tryAcquire(locks, key);
      if (free.isPresent()) {
        return new OtherRun(Optional.empty(), free);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new OtherRun(Optional.empty(), Optional.empty());
      }
      try {
        Thread.sleep(Math.min(POLL_MS, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
        return new OtherRun(Optional.empty(), Optional.empty());
      }
    }
  }
}
