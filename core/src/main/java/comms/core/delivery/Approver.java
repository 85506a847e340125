package comms.core.delivery;

/** A person's decision on one mutating action; the CLI asks on stderr and reads stdin. */
@FunctionalInterface
public interface Approver {
  /** Shows {@code summary} (exactly what will happen) and returns whether it was approved. */
  boolean approve(String summary);
}
