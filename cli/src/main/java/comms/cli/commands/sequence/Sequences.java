package comms.cli.commands.sequence;

import comms.cli.commands.snippet.Snippets;
import comms.cli.App;
import comms.core.approval.Approvals;
import comms.core.operator.AuditTrail;
import comms.core.sequence.Enrollment;
import comms.core.sequence.SequenceRules;
import comms.core.sequence.SequenceService;
import comms.core.store.ApprovalStore;
import comms.core.store.EnrollmentStore;
import comms.core.store.SequenceStore;
import comms.core.sequence.SendingHours;
import comms.core.sequence.StageBodies;
import comms.core.sequence.SequenceFile;
import comms.core.sequence.SequencePlan;
import java.time.Clock;
import comms.core.contract.SequencesContract;
import comms.core.policy.HolidayCalendar;
import comms.core.policy.SendWindow;
import comms.core.policy.SequencePolicy;

/** Wires the sequence services of core for a run (a command, an MCP session, a request of comms serve): its store, roster, contracts and clock. */
public final class Sequences {
  private Sequences() {}

  /** When a sequence may send: its window (within the contract's) in its zone, less its holidays (jollyday) and extra dates. */
  public static SendingHours hours(App app, SequencePlan plan) {
    SequencesContract contract = app.bindings().sequences();
    HolidayCalendar calendar =
        plan.holidayCountry() == null
            ? HolidayCalendar.extraOnly(plan.extraHolidays())
            : HolidayCalendar.of(plan.holidayCountry(), plan.holidaySubdivision(), plan.extraHolidays());
    return SendWindow.of(contract, new SequencesContract.Window(null, plan.windowStart(), plan.windowEnd(), contract.sendWindow().days()), plan.zone(), calendar);
  }

  /** The draft a sequence file describes, checked against the bindings' templates and the sequences rules. */
  public static SequenceService.Draft draft(App app, java.nio.file.Path file) {
    return SequenceFile.load(
        input(app, file), app.bindingsDir().resolve("schemas"), app.bindings().templates(), rules(app), Snippets.service(app), app.identity().owner());
  }

  /** The draft a sequence document given as text (JSON or YAML: the API's body) describes, under the same schema and rules as a file. */
  public static SequenceService.Draft draft(App app, String text, String shown) {
    return SequenceFile.parse(
        text, shown, app.bindingsDir().resolve("schemas"), app.bindings().templates(), rules(app), Snippets.service(app), app.identity().owner());
  }

  /**
   * An input file as given; a relative path that is not in the current folder is looked up in the
   * folder holding the bindings (the project), so the samples' paths work from anywhere in it.
   */
  public static java.nio.file.Path input(App app, java.nio.file.Path file) {
    if (file.isAbsolute() || java.nio.file.Files.exists(file)) {
      return file;
    }
    java.nio.file.Path project = app.bindingsDir().toAbsolutePath().normalize().getParent();
    java.nio.file.Path there = project == null ? file : project.resolve(file);
    return java.nio.file.Files.exists(there) ? there : file;
  }

  public static SequenceRules rules(App app) {
    return SequencePolicy.from(app.bindings().sequences()).sequenceRules();
  }

  public static Approvals approvals(App app, Clock clock) {
    return new Approvals(ApprovalStore.of(app.store()), app.roster(), clock, rules(app).approvalValidity());
  }

  public static SequenceService service(App app) {
    return new SequenceService(SequenceStore.of(app.store()), EnrollmentStore.of(app.store()), approvals(app, app.clock()), rules(app), app.clock());
  }

  public static Enrollment enrollment(App app) {
    return new Enrollment(app.store(), EnrollmentStore.of(app.store()), approvals(app, app.clock()), bodies(app), rules(app), app.clock());
  }

  /** The stages' texts: catalog templates and pinned snippet versions. */
  public static StageBodies bodies(App app) {
    return StageBodies.of(app.bindings().templates(), Snippets.service(app));
  }

  /** The run's audit trail on {@code clock} (the worker's own clock when it replays simulated time). */
  public static AuditTrail audit(App app, Clock clock) {
    return new AuditTrail(app.store(), app.roster(), app.identity(), app.runKey(), clock);
  }
}
