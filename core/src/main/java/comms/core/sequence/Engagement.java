package comms.core.sequence;

import comms.core.store.EnrollmentStore.EnrollmentRow;

/** Whether a recipient engaged with what a sequence sent them (a reply, a click, a human-shaped open). */
@FunctionalInterface
public interface Engagement {
  boolean engaged(EnrollmentRow enrollment);

  /** No signal recorded for anyone: nobody counts as engaged. */
  Engagement NONE = e -> false;
}
