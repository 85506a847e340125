package comms.core.imessage;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.consent.InboundKeyword;
import comms.core.contract.ImessageRules;
import comms.core.contract.PolicyContract;
import comms.core.outbox.DeliveryRecord;
import comms.core.policy.ImessageHours;
import comms.core.store.ImessageQueue;
import comms.core.store.RecipientPhones;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Worker's side of the iMessage daemon: hands out what pacing and the operators' hours allow,
 * records the daemon's reports on the delivery log, reads its inbound texts for opt-outs, and keeps
 * the daemon's health (its last poll). Every call is refused with {@link DaemonDisabled} while the
 * contract switches the daemon off.
 */
public final class DaemonDesk {
  /** How long a handed-out text waits for the daemon's report before it is left unknown (never handed out again). */
  public static final Duration LEASE = Duration.ofMinutes(10);

  /** A daemon whose last poll is at most this old is healthy. */
  public static final Duration HEALTHY = Duration.ofMinutes(5);

  /** The longest error text of a failed report that is kept. */
  static final int MAX_ERROR = 300;

  private final Store store;
  private final ImessageRules rules;
  private final PolicyContract.Keywords keywords;
  private final Consumer<DeliveryRecord> journal;
  private final Clock clock;

  public DaemonDesk(Store store, ImessageRules rules, PolicyContract.Keywords keywords, Consumer<DeliveryRecord> journal, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.rules = Objects.requireNonNull(rules);
    this.keywords = Objects.requireNonNull(keywords);
    this.journal = Objects.requireNonNull(journal);
    this.clock = Objects.requireNonNull(clock);
  }

  private void enabled() {
    if (!rules.daemonEnabled()) {
      throw new DaemonDisabled();
    }
  }

  /** The texts {@code daemonId} may send now (at most one per operator, {@code min_gap} after their last), recording its poll. */
  public List<ImessageQueue.Queued> pending(String daemonId) {
    enabled();
    Instant now = clock.instant();
    ImessageQueue queue = ImessageQueue.of(store);
    queue.seen(daemonId, now);
    ImessageHours hours = ImessageHours.of(rules);
    return queue.handOut(
        daemonId, now, rules.minGap(), LEASE,
        owner -> rules.operator(owner).map(op -> hours.closedUntil(now, op.zone()).isEmpty()).orElse(false));
  }

  /** Records the daemon's report on text {@code id}: sent, or failed with {@code error}; its delivery-log line follows. */
  public ImessageQueue.Queued report(String id, String daemonId, boolean sent, String error) {
    enabled();
    Instant now = clock.instant();
    String why = sent ? null : clean(error);
    ImessageQueue.Report r = ImessageQueue.of(store).report(id, daemonId, sent ? "sent" : "failed", why, now);
    if (r.refusal() != null) {
      if (r.refusal().equals("not_found")) {
        throw new comms.core.Refused(comms.core.Refused.Why.NOT_FOUND, ExitCode.USAGE, "no queued iMessage " + id + "; report only ids GET /api/imessage/outbound/pending handed out");
      }
      throw new comms.core.Refused(
          comms.core.Refused.Why.STALE_VERSION, ExitCode.CONTRACT,
          "iMessage " + id + " is " + r.refusal().substring(r.refusal().indexOf(':') + 1) + ", not handed out; it was reported already (or its lease ran out), nothing changed");
    }
    ImessageQueue.Queued q = r.row();
    journal.accept(
        DeliveryRecord.builder()
            .time(now)
            .deliveryId(q.deliveryId())
            .runKey(q.runKey())
            .mode(q.mode())
            .channel("sms")
            .messageType(q.messageType())
            .provider(q.provider())
            .to(q.phone())
            .status(sent ? "sent" : "failed")
            .providerMessageId(q.id())
            .idempotencyKey(q.idempotencyKey())
            .error(why == null ? null : "imessage_daemon: " + why)
            .attempts(1)
            .operator(q.owner())
            .stage(q.sequenceId(), q.stage())
            .build());
    return q;
  }

  /** What an inbound text asks for, and the revocation to run for an opt-out (null otherwise). */
  public record Inbound(String from, InboundKeyword keyword, PhoneConsents.Change revocation, String owner) {}

  /**
   * Reads one inbound text the daemon saw: an opt-out (STOP and the policy's other opt-out keywords and
   * phrases) from a number comms knows comes back with the revocation to apply and the operator whose
   * audit trail it belongs to (the owner of the latest text queued to the number, else the first
   * allowlisted operator). Anything else changes nothing.
   */
  public Inbound inbound(String from, String text, PhoneConsents consents) {
    enabled();
    String phone = from == null ? "" : from.strip();
    if (!Prerequisites.E164.matcher(phone).matches()) {
      throw CommsException.usage("\"from\" '" + from + "' is not an E.164 number; the daemon reports the sender's number as +15551234567");
    }
    InboundKeyword k = InboundKeyword.classify(text == null ? "" : text, keywords);
    if (k.action() != InboundKeyword.Action.opt_out) {
      return new Inbound(phone, k, null, null);
    }
    String owner = latestOwner(phone).orElse(rules.operators().isEmpty() ? null : rules.operators().get(0).email());
    return new Inbound(phone, k, consents.revokeNumber(phone, "inbound iMessage opt-out (" + k.keyword() + ")"), owner);
  }

  private Optional<String> latestOwner(String phone) {
    return ImessageQueue.of(store).latestOwnerTo(phone);
  }

  /** The daemon's health as of now: switched on or off, its last poll, and whether that is fresh. */
  public record Health(boolean enabled, String daemonId, Instant lastSeenAt, boolean healthy, int pending) {
    public String summary() {
      if (!enabled) {
        return "disabled";
      }
      return lastSeenAt == null ? "never polled" : (healthy ? "healthy" : "unhealthy") + " (last poll " + lastSeenAt + ")";
    }
  }

  public static Health health(Store store, ImessageRules rules, Instant now) {
    ImessageQueue q = ImessageQueue.of(store);
    Optional<ImessageQueue.LastPoll> last = q.lastPoll();
    boolean healthy = last.isPresent() && !last.get().at().isBefore(now.minus(HEALTHY));
    return new Health(rules.daemonEnabled(), last.map(ImessageQueue.LastPoll::daemonId).orElse(null), last.map(ImessageQueue.LastPoll::at).orElse(null),
        rules.daemonEnabled() && healthy, q.inState("pending").size());
  }

  private static String clean(String error) {
    String e = error == null || error.isBlank() ? "unspecified" : error.strip().replaceAll("\\p{Cntrl}", " ");
    return e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e;
  }
}
