package comms.core.policy;

import comms.core.contract.SequencesContract;
import comms.core.sequence.SequenceRules;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Every sequence rule built from one sequences contract, in one list: the register a report or AGENTS.md walks. */
public final class SequencePolicy {
  private final SequencesContract contract;
  private final SequenceNameRule names;
  private final StageCountRule stages;
  private final StageDelay delays;
  private final StageTrigger triggers;
  private final RecipientBatchRule batches;
  private final RecipientCountApproval approvals;

  private SequencePolicy(SequencesContract contract) {
    this.contract = Objects.requireNonNull(contract);
    this.names = new SequenceNameRule(contract.forbiddenNames());
    this.stages = new StageCountRule(contract.limits().maxStages());
    this.delays = StageDelay.of(contract);
    this.triggers = new StageTrigger(contract.triggers());
    this.batches = new RecipientBatchRule(contract.limits().maxRecipientsPerCall());
    this.approvals = new RecipientCountApproval(contract.approvals());
  }

  public static SequencePolicy from(SequencesContract contract) {
    return new SequencePolicy(contract);
  }

  public SequencesContract contract() {
    return contract;
  }

  public SequenceNameRule names() {
    return names;
  }

  public StageCountRule stages() {
    return stages;
  }

  public StageDelay delays() {
    return delays;
  }

  public StageTrigger triggers() {
    return triggers;
  }

  public RecipientBatchRule batches() {
    return batches;
  }

  public RecipientCountApproval approvals() {
    return approvals;
  }

  /** A sequence's calendar: its own (null: the contract's default) plus its extra dates. Loads jollyday on first use. */
  public HolidayCalendar holidays(SequencesContract.Holidays requested, Collection<LocalDate> extraDates) {
    return HolidayCalendar.of(requested == null ? contract.holidays() : requested, extraDates);
  }

  /** A sequence's send window: its own (null: the contract's), which must narrow the contract's. */
  public SendWindow window(SequencesContract.Window requested, ZoneId zone, HolidayCalendar holidays) {
    return SendWindow.of(contract, requested, zone, holidays);
  }

  /** The rules with their names and citations; the window and calendar stand for every sequence's own. */
  public List<PolicyRule> rules() {
    HolidayCalendar none = HolidayCalendar.extraOnly(List.of());
    return List.of(names, stages, delays, triggers, batches, approvals, new SendWindow(contract.sendWindow(), ZoneId.of("UTC"), none), none);
  }

  /** The same limits in the shape the sequence service reads today ({@link SequenceRules}). */
  public SequenceRules sequenceRules() {
    return new SequenceRules(
        contract.limits().maxStages(),
        contract.limits().maxRecipientsPerCall(),
        contract.sendWindow().start(),
        contract.sendWindow().end(),
        contract.forbiddenNames().stream().map(f -> new SequenceRules.ForbiddenName(f.pattern(), f.reason())).toList(),
        contract.approvals().tiers().stream().map(t -> new SequenceRules.Tier(t.min(), t.max(), t.kind(), t.reviewers())).toList(),
        contract.approvals().validity(),
        delays,
        triggers,
        contract.imessage());
  }
}
