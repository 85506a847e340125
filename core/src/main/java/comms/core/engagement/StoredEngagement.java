package comms.core.engagement;

import comms.core.sequence.Engagement;
import comms.core.store.EngagementStore;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import java.util.Objects;

/**
 * The worker's answer to "did this recipient engage?" for a {@code no_engagement} stage: yes when they
 * replied (the enrollment's state, set by reply sync), clicked, or opened in a human-shaped way
 * ({@link OpenRules}) anything this enrollment was sent. Machine opens never count.
 */
public final class StoredEngagement implements Engagement {
  private final EngagementStore events;

  public StoredEngagement(EngagementStore events) {
    this.events = Objects.requireNonNull(events);
  }

  @Override
  public boolean engaged(EnrollmentRow enrollment) {
    return "replied".equals(enrollment.state()) || events.engaged(enrollment.id());
  }
}
