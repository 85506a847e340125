package comms.core.outbox;

/**
 * A named place where a crash test may stop the process (issue 7's fault injection). Normal runs
 * use {@link #NONE}; a test passes one that halts the JVM when a chosen name is reached.
 */
@FunctionalInterface
public interface FaultPoint {
  FaultPoint NONE = name -> {};

  void reached(String name);
}
