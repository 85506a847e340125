package comms.core.engagement;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.contract.SequencesContract;
import comms.core.operator.AuditTrail;
import comms.core.store.EngagementStore;
import comms.core.store.EngagementStore.EventRow;
import comms.core.store.EngagementStore.StageSendRef;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Takes in provider webhooks: verifies each one's Svix signature, reads the Resend event, ties it to
 * the stage send whose provider message id it carries, judges an open by {@link OpenRules}, and
 * records it once per svix-id. A hard bounce or a complaint suppresses the address (with its audit row,
 * as suppression.add writes one) and ends its live enrollments as bounced or opted_out. A refused
 * webhook is counted and changes nothing else. The CLI's engagement.ingest and the HTTP endpoint
 * {@code POST /webhooks/resend} both call {@link #ingest}.
 */
public final class EngagementService {
  private final Store store;
  private final EngagementStore events;
  private final WebhookVerifier verifier;
  private final OpenRules rules;
  private final AuditTrail audit;
  private final Clock clock;

  public EngagementService(Store store, WebhookVerifier verifier, OpenRules rules, AuditTrail audit, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.events = EngagementStore.of(store);
    this.verifier = Objects.requireNonNull(verifier);
    this.rules = Objects.requireNonNull(rules);
    this.audit = Objects.requireNonNull(audit);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * The service with the signing secret from the environment variable the contract names. When it
   * is unset every webhook is refused (no_secret) and counted; a value that is not a whsec_ secret is
   * exit 3 with a sentence naming the variable, never the value.
   */
  public static EngagementService from(SequencesContract.EngagementRules contract, Map<String, String> env, Store store, AuditTrail audit, Clock clock) {
    String name = contract.webhookSecretEnv();
    String secret = env.get(name);
    WebhookVerifier v;
    if (secret == null || secret.isBlank()) {
      v = WebhookVerifier.unset(name);
    } else {
      try {
        v = WebhookVerifier.of(secret);
      } catch (IllegalArgumentException e) {
        throw new CommsException(ExitCode.CONTRACT, name + ": " + e.getMessage() + "; nothing was ingested");
      }
    }
    return new EngagementService(store, v, new OpenRules(contract.humanOpenAfter()), audit, clock);
  }

  /** What became of one webhook. */
  public sealed interface Outcome {
    String svixId();

    /**
     * Verified and read. {@code counts}: it is engagement for no_engagement (a click, a human-shaped
     * open); {@code ignoredBy}: the rule that discounted an open; {@code effect}: delivered, human_open,
     * machine_open, click, soft_bounce, suppressed, no_address (a bounce or complaint naming no usable
     * address), ignored (a type comms does not act on); {@code applied}: written (false in a dry run).
     * {@code event} holds the recipient's address: an HTTP answer should carry only ids and codes.
     */
    record Accepted(
        String svixId, EngagementEvent event, String sequenceId, String enrollmentId, Integer stage, boolean counts, String ignoredBy, String effect,
        int enrollmentsEnded, boolean applied) implements Outcome {}

    /** A svix-id already applied (a retry or a replay): nothing changed. */
    record Duplicate(String svixId) implements Outcome {}

    /** Not applied: {@code reason} is a code (bad_signature, stale, …, invalid_body), {@code sentence} says why. */
    record Refused(String svixId, String reason, String sentence) implements Outcome {}
  }

  /**
   * Verifies and applies one webhook: the call behind {@code POST /webhooks/resend}. {@code headers}
   * are the request's (any case), {@code body} the raw body exactly as received. A handler would answer
   * Accepted and Duplicate with 200 (Resend then stops retrying), Refused with 401 for a signature
   * problem and 400 for {@code invalid_body}.
   */
  public Outcome ingest(Map<String, String> headers, String body) {
    return batch(true).next(headers, body);
  }

  /** A run over many webhooks, applying them ({@code apply}) or only saying what each would do. */
  public Batch batch(boolean apply) {
    return new Batch(apply);
  }

  /** Webhooks taken one after another; in a dry run, ids and deliveries seen earlier in the run count as if written. */
  public final class Batch {
    private final boolean apply;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Instant> delivered = new HashMap<>();

    private Batch(boolean apply) {
      this.apply = apply;
    }

    public Outcome next(Map<String, String> headers, String body) {
      Instant now = clock.instant();
      WebhookVerifier.Verdict v = verifier.verify(headers, body, now);
      if (v instanceof WebhookVerifier.Verdict.Refused r) {
        return refuse(r.svixId(), r.reason(), r.sentence(), now);
      }
      String id = ((WebhookVerifier.Verdict.Verified) v).svixId();
      EngagementEvent e;
      try {
        e = EngagementEvent.parse(body);
      } catch (IllegalArgumentException x) {
        return refuse(id, "invalid_body", x.getMessage(), now);
      }
      if (seen.contains(id) || events.seen(id)) {
        return new Outcome.Duplicate(id);
      }
      seen.add(id);
      Optional<StageSendRef> ref = events.stageSendOf(e.emailId());
      boolean counts = false;
      String ignoredBy = null;
      String effect;
      switch (e.kind()) {
        case DELIVERED -> {
          effect = "delivered";
          delivered.merge(e.emailId(), e.occurredAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        case OPENED -> {
          Instant arrived = Optional.ofNullable(delivered.get(e.emailId())).or(() -> events.deliveredAt(e.emailId()))
              .orElse(ref.map(StageSendRef::sentAt).orElse(null));
          ignoredBy = rules.machine(e.userAgent(), e.ipAddress(), e.occurredAt(), arrived).orElse(null);
          counts = ignoredBy == null;
          effect = counts ? "human_open" : "machine_open";
        }
        case CLICKED -> {
          counts = true;
          effect = "click";
        }
        case BOUNCED -> effect = e.hardBounce() ? "suppressed" : "soft_bounce";
        case COMPLAINED -> effect = "suppressed";
        default -> effect = "ignored";
      }
      String address = ref.map(StageSendRef::email).filter(a -> a != null && !a.isBlank()).orElse(e.recipient());
      address = address == null ? null : Recipients.normalize(address);
      if (address != null && !Recipients.isEmail(address)) {
        // Resend lists bare addresses; anything else (a display name, garbage) is not suppressed on a guess.
        address = null;
      }
      if (effect.equals("suppressed") && address == null) {
        effect = "no_address";
      }
      EventRow row =
          new EventRow(
              id, e.type(), e.emailId(), ref.map(StageSendRef::enrollmentId).orElse(null), ref.map(StageSendRef::sequenceId).orElse(null),
              ref.map(StageSendRef::stage).orElse(null), e.occurredAt(), now, counts, ignoredBy, e.bounceType(), effect);
      int ended = 0;
      if (apply) {
        if (effect.equals("suppressed")) {
          Integer n = suppress(row, e, address, now);
          if (n == null) {
            return new Outcome.Duplicate(id);
          }
          ended = n;
        } else if (!events.record(row)) {
          return new Outcome.Duplicate(id);
        }
      }
      return new Outcome.Accepted(id, e, row.sequenceId(), row.enrollmentId(), row.stage(), counts, ignoredBy, effect, ended, apply);
    }

    private Outcome refuse(String id, String reason, String sentence, Instant now) {
      if (apply) {
        events.refused(id, reason, now);
      }
      return new Outcome.Refused(id, reason, sentence);
    }

    /** Records the event, suppresses the address and ends its enrollments, with one audit row, in one transaction; null for a replay. */
    private Integer suppress(EventRow row, EngagementEvent e, String address, Instant now) {
      boolean complaint = e.kind() == EngagementEvent.Kind.COMPLAINED;
      String cause = complaint ? "complaint" : "hard_bounce";
      AuditTrail.Action action =
          AuditTrail.Action.of("engagement.suppress", "suppression", AuditTrail.hash(address)).with("kind", "address").with("cause", cause)
              .with("event", e.type());
      if (row.svixId().matches("[A-Za-z0-9_.:-]{1,64}")) {
        action = action.with("svix_id", row.svixId());
      }
      int[] ended = {0};
      Boolean recorded =
          audit.apply(
              action,
              () -> {
                if (!events.record(row)) {
                  return false;
                }
                store.addSuppression(
                    "address", address, complaint ? "spam complaint reported by Resend (email.complained)" : "hard bounce reported by Resend (email.bounced, Permanent)", now);
                ended[0] = events.endEnrollmentsOf(address, complaint ? "opted_out" : "bounced", complaint ? "complained" : "bounced:hard", now);
                return true;
              },
              done -> {
                Map<String, Object> m = new HashMap<>(AuditTrail.outcome(done ? "applied" : "duplicate", 0));
                m.put("enrollments_ended", ended[0]);
                return m;
              });
      return recorded ? ended[0] : null;
    }
  }
}
