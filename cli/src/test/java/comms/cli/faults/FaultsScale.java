package comms.cli.faults;

/**
 * How big the fault harness runs. The defaults fit CI (the whole faults suite in well under two
 * minutes on two cores); {@code -Dfaults.scale=full} (what {@code bench/faults} passes) runs the
 * sizes issue 7 names, and each figure can be set on its own ({@code -Dfaults.crash.random=50}).
 */
final class FaultsScale {
  private FaultsScale() {}

  static final boolean FULL = "full".equals(System.getProperty("faults.scale"));

  /** Random SIGKILLs of send.execute workers, spread over simulation, live Twilio and live Resend. */
  static final int CRASH_RANDOM_KILLS = size("faults.crash.random", 6, 200);

  /** Concurrent processes, and executes per process, against one outbox. */
  static final int CONCURRENCY_PROCESSES = size("faults.concurrency.processes", 4, 8);

  static final int CONCURRENCY_EXECUTES = size("faults.concurrency.executes", 10, 50);

  /** Approval inputs also fed to a separate comms process through a real pipe (the rest run in-process). */
  static final int APPROVAL_PROCESS_CASES = size("faults.approval.processes", 4, 1000);

  /** Recipients taken from each public corpus (phone numbers, email addresses) as hostile --to values. */
  static final int HOSTILE_CORPUS_RECIPIENTS = size("faults.hostile.recipients", 40, 100_000);

  /** How many crash lanes (outboxes) run side by side. */
  static final int PARALLEL_LANES = size("faults.lanes", 2, 2);

  private static int size(String property, int ci, int full) {
    String v = System.getProperty(property);
    if (v != null && !v.isBlank()) {
      return Integer.parseInt(v.trim());
    }
    return FULL ? full : ci;
  }
}
