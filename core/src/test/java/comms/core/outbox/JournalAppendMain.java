package comms.core.outbox;

import java.nio.file.Path;
import java.time.Instant;

/** A child process for the multi-process tests: appends COUNT lines as writer NAME, optionally dying at a fault point. */
public final class JournalAppendMain {
  private JournalAppendMain() {}

  public static void main(String[] args) {
    OutboxPaths outbox = new OutboxPaths(Path.of(args[0]));
    String name = args[1];
    int count = Integer.parseInt(args[2]);
    DeliveryJournal journal = DeliveryJournal.of(outbox, w -> System.out.println("warning: " + w));
    if (args.length > 3) {
      // Crash test: die like SIGKILL (no cleanup, no finally) when the named point is reached.
      String fault = args[3];
      journal =
          journal.withFaults(
              point -> {
                if (point.equals(fault)) {
                  System.out.flush();
                  Runtime.getRuntime().halt(137);
                }
              });
    }
    for (int i = 0; i < count; i++) {
      journal.append(JournalFixture.record(name + "-" + i, i % 7 == 0 ? "failed" : "simulated", Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i)));
    }
    System.out.println("done " + name);
  }
}
