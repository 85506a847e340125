package comms.core.reply;

import comms.core.CommsException;
import comms.core.operator.AuditTrail;
import comms.core.store.EnrollmentStore;
import comms.core.store.ReplyStore;
import comms.core.store.SentMessages;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One sync of an owner's inbox: reads what arrived since the watch's cursor, classifies each
 * message, ties it to what we sent, and acts. A person's reply ends the recipient's enrollment as
 * {@code replied} in every sequence of that owner; an out-of-office pauses it until the return date
 * (else the contract's default) and the worker resumes it then; a hard bounce ends it as
 * {@code bounced} and suppresses the address; a soft bounce, an auto-reply and list mail are recorded
 * only. Each message is taken once (recorded by its mailbox id), and each change is idempotent, so a
 * sync killed half way and run again does each thing once. A dry run reads and says, changing nothing.
 */
public final class ReplySync {
  /** What a sync needs: the store, the inbox, the default out-of-office pause, the clock and the run's audit trail. */
  public record Parts(Store store, Inbox inbox, int defaultPauseDays, Clock clock, AuditTrail audit) {
    public Parts {
      Objects.requireNonNull(store);
      Objects.requireNonNull(inbox);
      Objects.requireNonNull(clock);
      Objects.requireNonNull(audit);
    }
  }

  /**
   * What one message was taken for and what it did. {@code action}: replied, paused, bounced,
   * soft_bounce, ignored (auto-reply, list mail), unmatched; {@code enrollments} how many it changed.
   */
  public record Effect(
      String sourceId, String sender, String kind, String marker, String recipient, String matchedDeliveryId, String matchReason, String action,
      int enrollments, Instant pausedUntil, String status) {}

  /** One owner's sync. {@code error} is the sentence when the inbox could not be read (then nothing else happened). */
  public record OwnerSync(String owner, String source, int read, List<Effect> effects, boolean resynced, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final Parts p;
  private final ReplyStore replies;
  private final EnrollmentStore enrollments;
  private final ReplyMatcher matcher;

  public ReplySync(Parts parts) {
    this.p = parts;
    this.replies = ReplyStore.of(parts.store());
    this.enrollments = EnrollmentStore.of(parts.store());
    this.matcher = new ReplyMatcher(SentMessages.of(parts.store()));
  }

  public OwnerSync sync(String owner, boolean execute) {
    Instant started = p.clock().instant();
    Optional<ReplyStore.Watch> watch = replies.watch(owner);
    String cursor = watch.map(ReplyStore.Watch::cursor).orElse(null);
    Instant resyncFrom = watch.map(ReplyStore.Watch::resyncFrom).orElse(null);
    Inbox.Batch batch;
    try {
      if (execute) {
        p.inbox().prepare(owner);
      }
      batch = p.inbox().read(owner, cursor, resyncFrom);
    } catch (CommsException e) {
      if (execute) {
        replies.failed(owner, p.inbox().source(owner), e.getMessage(), started);
      }
      return new OwnerSync(owner, p.inbox().source(owner), 0, List.of(), false, e.getMessage());
    }
    List<Effect> effects = new ArrayList<>();
    for (InboundMessage m : batch.messages()) {
      if (replies.seen(owner, m.sourceId())) {
        continue;
      }
      effects.add(take(m, execute));
    }
    if (execute) {
      // The next resync (an expired cursor) starts a little before this one did: nothing that arrived meanwhile is missed.
      replies.succeeded(owner, p.inbox().source(owner), batch.cursor(), started.minus(Duration.ofMinutes(5)), p.clock().instant());
    }
    return new OwnerSync(owner, p.inbox().source(owner), batch.messages().size(), effects, batch.resynced(), null);
  }

  private Effect take(InboundMessage m, boolean execute) {
    Classification c = ReplyClassifier.classify(m);
    Optional<ReplyMatcher.Match> match = matcher.match(m, c);
    Instant now = p.clock().instant();
    Instant received = m.receivedAt() == null ? now : m.receivedAt();
    String recipient = match.map(x -> x.message().recipient()).orElse(c.bouncedAddress());
    String action;
    Instant until = null;
    if (match.isEmpty()) {
      action = "unmatched";
    } else {
      action = switch (c.kind()) {
        case HUMAN_REPLY -> "replied";
        case OUT_OF_OFFICE -> "paused";
        case BOUNCE_HARD -> "bounced";
        case BOUNCE_SOFT -> "soft_bounce";
        default -> "ignored";
      };
    }
    if (action.equals("paused")) {
      until = c.returnDate() != null ? c.returnDate().atStartOfDay(ZoneOffset.UTC).toInstant() : received.plus(Duration.ofDays(p.defaultPauseDays()));
      if (!until.isAfter(now)) {
        action = "ignored";
        until = null;
      }
    }
    int changed = 0;
    if (execute) {
      changed = apply(m, c, match, recipient, action, until, now);
      replies.record(
          new ReplyStore.Inbound(
              0, m.owner(), m.sourceId(), m.from(), c.kind().label(), detail(c, until), match.map(x -> x.message().messageId()).orElse(null),
              match.map(ReplyMatcher.Match::reason).orElse(null), action, received, now));
    }
    return new Effect(
        m.sourceId(), m.from(), c.kind().label(), c.marker(), recipient, match.map(x -> x.message().deliveryId()).orElse(null),
        match.map(ReplyMatcher.Match::reason).orElse(null), action, changed, until, c.status());
  }

  private static String detail(Classification c, Instant until) {
    if (c.status() != null) {
      return c.status();
    }
    return until != null ? "until " + until : c.marker();
  }

  /** Does what the message calls for, with its audit row; the number of enrollments changed. */
  private int apply(InboundMessage m, Classification c, Optional<ReplyMatcher.Match> match, String recipient, String action, Instant until, Instant now) {
    String owner = m.owner();
    String why = match.map(ReplyMatcher.Match::reason).orElse("dsn_recipient");
    AuditTrail.Action audit =
        AuditTrail.Action.of("replies.sync", "enrollment", null)
            .with("class", c.kind().label())
            .with("match", why)
            .with("action", action)
            .with("recipient_sha256", recipient == null ? null : AuditTrail.hash(recipient));
    return switch (action) {
      case "replied" -> p.audit().apply(
          audit, () -> enrollments.endFor(owner, recipient, "replied", "replied:" + why, now), n -> AuditTrail.outcome("replied", 0));
      case "paused" -> p.audit().apply(
          audit.with("paused_until", until.toString()),
          () -> enrollments.pauseFor(owner, recipient, until, "out_of_office:until " + until + (c.returnDate() != null ? " (read from the reply)" : " (the contract's default " + p.defaultPauseDays() + " days)"), now),
          n -> AuditTrail.outcome("paused", 0));
      case "bounced" -> p.audit().apply(
          audit.with("status", c.status()),
          () -> {
            int n = enrollments.endFor(owner, recipient, "bounced", "bounced:" + c.status(), now);
            p.store().addSuppression("address", recipient, "hard bounce " + c.status() + " (replies.sync)", now);
            return n;
          },
          n -> AuditTrail.outcome("bounced", 0));
      default -> 0;
    };
  }
}
