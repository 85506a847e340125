package comms.core.imessage;

import comms.core.contract.ImessageRules;
import comms.core.policy.ImessageHours;
import comms.core.sequence.ImessageGate;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.ImessageQueue;
import comms.core.store.RecipientPhones;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker's checks before an iMessage stage is queued, in order: the owner is on the allowlist;
 * the daemon is switched on (else the stage waits an hour); the recipient has all four prerequisites
 * and no iMessage suppression; the owner's hours are open (else it waits for them); the owner's daily
 * cap has room (else it is skipped with {@code daily_imessage_cap_exhausted:<count>}).
 */
public final class ImessageStageGate implements ImessageGate {
  /** How long a stage waits while the daemon is switched off before it is tried again. */
  public static final Duration DISABLED_RETRY = Duration.ofHours(1);

  /** The error of a stage skipped over the daily cap; followed by ':' and the count already queued that UTC day. */
  public static final String CAP_EXHAUSTED = "daily_imessage_cap_exhausted";

  private final Store store;
  private final ImessageRules rules;
  private final ImessageHours hours;

  public ImessageStageGate(Store store, ImessageRules rules) {
    this.store = Objects.requireNonNull(store);
    this.rules = Objects.requireNonNull(rules);
    this.hours = ImessageHours.of(rules);
  }

  @Override
  public Optional<Hold> hold(SequenceRow sequence, EnrollmentRow e, Instant now, int pending) {
    Optional<ImessageRules.Operator> op = rules.operator(sequence.owner());
    if (op.isEmpty()) {
      return Optional.of(new Hold("imessage_not_allowlisted", null));
    }
    if (!rules.daemonEnabled()) {
      return Optional.of(new Hold("imessage_daemon_disabled", now.plus(DISABLED_RETRY)));
    }
    RecipientPhones phones = RecipientPhones.of(store);
    Optional<String> missing = Prerequisites.missing(e.email() == null ? Optional.empty() : phones.find(e.email()), phones);
    if (missing.isPresent()) {
      return Optional.of(new Hold(missing.get(), null));
    }
    Optional<Instant> closed = hours.closedUntil(now, op.get().zone());
    if (closed.isPresent()) {
      return Optional.of(new Hold("imessage_hours", closed.get()));
    }
    int used = usedToday(ImessageQueue.of(store), sequence.owner(), now) + pending;
    if (used >= op.get().dailyCap()) {
      return Optional.of(new Hold(CAP_EXHAUSTED + ":" + used, null));
    }
    return Optional.empty();
  }

  /** The owner's iMessages queued this UTC day (failed ones do not count). */
  public static int usedToday(ImessageQueue queue, String owner, Instant now) {
    LocalDate day = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return queue.counted(owner, day.atStartOfDay().toInstant(ZoneOffset.UTC), day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }
}
