package comms.core.reply;

import comms.core.sequence.ReplyWatch;
import comms.core.sequence.SequencePlan;
import comms.core.sequence.SequenceService;
import comms.core.store.ReplyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The owners' reply watches: a watch is healthy when its owner's reply sync last succeeded within
 * the contract's {@code watch.max_age_minutes}. A multi-stage sequence whose owner has no healthy
 * watch is not launched, and a running one's later stages wait (deferred, reason {@code watch}):
 * nothing goes to someone whose answer nobody is reading. An owner whose mailbox is Gmail also needs
 * an active Gmail watch: a {@code users.watch} whose expiration is still ahead (see {@link #gmail}).
 */
public final class Watches implements ReplyWatch {
  private final ReplyStore store;
  private final Duration maxAge;
  private final Runnable beforePass;
  private java.util.function.Predicate<String> gmailOwner = o -> false;
  private comms.core.store.GmailWatchStore gmailWatches;

  /** Owners for whom {@code isGmail} holds need an active Gmail watch in {@code store} as well as a fresh sync. */
  public Watches gmail(java.util.function.Predicate<String> isGmail, comms.core.store.GmailWatchStore store) {
    this.gmailOwner = Objects.requireNonNull(isGmail);
    this.gmailWatches = Objects.requireNonNull(store);
    return this;
  }

  public Watches(ReplyStore store, Duration maxAge) {
    this(store, maxAge, () -> {});
  }

  /** {@code beforePass}: what the worker does first each pass (a simulated sync, the alert check). */
  public Watches(ReplyStore store, Duration maxAge, Runnable beforePass) {
    this.store = Objects.requireNonNull(store);
    this.maxAge = Objects.requireNonNull(maxAge);
    this.beforePass = Objects.requireNonNull(beforePass);
  }

  /** One owner's watch as of an instant. */
  public record Health(String owner, boolean healthy, Instant lastSuccessAt, Instant lastAttemptAt, String lastError, Instant unhealthySince) {}

  public Health health(String owner, Instant now) {
    Optional<ReplyStore.Watch> w = store.watch(owner);
    Instant ok = w.map(ReplyStore.Watch::lastSuccessAt).orElse(null);
    boolean healthy = ok != null && !ok.plus(maxAge).isBefore(now);
    Instant since = healthy ? null : ok != null ? ok.plus(maxAge) : w.map(ReplyStore.Watch::lastAttemptAt).orElse(null);
    Optional<Instant> gmailExpired = gmailInactiveSince(owner, now);
    if (healthy && gmailExpired.isPresent()) {
      healthy = false;
      since = gmailExpired.get();
    }
    return new Health(owner, healthy, ok, w.map(ReplyStore.Watch::lastAttemptAt).orElse(null), w.map(ReplyStore.Watch::lastError).orElse(null), since);
  }

  /** For a Gmail owner whose watch is missing or expired: since when (its expiration; the epoch when there is none). */
  private Optional<Instant> gmailInactiveSince(String owner, Instant now) {
    if (gmailWatches == null || !gmailOwner.test(owner)) {
      return Optional.empty();
    }
    Optional<comms.core.store.GmailWatchStore.GmailWatch> g = gmailWatches.watch(owner);
    if (g.isPresent() && g.get().live(now)) {
      return Optional.empty();
    }
    return Optional.of(g.map(comms.core.store.GmailWatchStore.GmailWatch::expiration).orElse(Instant.EPOCH));
  }

  @Override
  public Optional<String> unhealthy(String owner, Instant now) {
    Health h = health(owner, now);
    if (h.healthy()) {
      return Optional.empty();
    }
    Optional<Instant> gmail = gmailInactiveSince(owner, now);
    if (gmail.isPresent() && h.lastSuccessAt() != null && !h.lastSuccessAt().plus(maxAge).isBefore(now)) {
      String when = gmail.get().equals(Instant.EPOCH) ? "it was never set up" : "it expired at " + gmail.get();
      return Optional.of(
          owner + " has no active Gmail watch (" + when + "); run comms replies.watch --owner " + owner
              + " (replies.sync renews it when due) so replies stop the sequence before later stages go");
    }
    String last =
        h.lastSuccessAt() == null
            ? "has never synced"
            : "last synced at " + h.lastSuccessAt() + ", more than " + maxAge.toMinutes() + " minutes ago";
    return Optional.of(
        "the reply watch of " + owner + " " + last + (h.lastError() == null ? "" : " (last error: " + h.lastError() + ")")
            + "; run comms replies.sync (--follow keeps it fresh) so replies stop the sequence before later stages go");
  }

  @Override
  public void beforePass(Instant now) {
    beforePass.run();
  }

  /** The launch check: a multi-stage sequence needs its owner's watch healthy now. */
  public SequenceService.Gate launchGate(Clock clock) {
    return seq -> {
      if (SequencePlan.fromJson(seq.definitionJson()).stages().size() < 2) {
        return Optional.empty();
      }
      return unhealthy(seq.owner(), clock.instant()).map(why -> "launch of " + seq.id() + " refused: it has later stages and " + why + "; the sequence stays a draft");
    };
  }
}
