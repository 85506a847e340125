package comms.core.policy;

import java.util.List;

/** The gates every send passes, in the order previews list them. Register a new gate here. */
public final class StandardGates {
  private StandardGates() {}

  public static final List<SendGate> ALL =
      List.of(
          new RecipientGate(),
          new ConsentGate(),
          new SuppressionGate(),
          new QuietHoursGate(),
          new StopFooterGate(),
          new BulkEmailGate(),
          new TemplateResidueGate(),
          new HeaderSafetyGate(),
          new LengthGate(),
          new ForbiddenPatternsGate());
}
