package comms.core.store;

import java.nio.file.Path;
import java.time.Instant;

/** A child process for the multi-process test: claims keys k0..kN-1 and prints each one it won. */
public final class ClaimMain {
  private ClaimMain() {}

  public static void main(String[] args) {
    String name = args[1];
    int keys = Integer.parseInt(args[2]);
    try (Store s = args[0].startsWith("postgres") || args[0].startsWith("sqlite:") ? StoreBackend.fromArgs(args[0]) : Store.at(Path.of(args[0]))) {
      for (int i = 0; i < keys; i++) {
        IdempotencyStore.Claim c = s.claim("k" + i, name + "-" + i, Instant.parse("2026-03-01T10:00:00Z"));
        if (c instanceof IdempotencyStore.Claim.Claimed) {
          System.out.println("won k" + i);
          s.complete("k" + i, "simulated", "SIM-" + name, "{}", Instant.parse("2026-03-01T10:00:01Z"));
        }
      }
    }
    System.out.println("done " + name);
  }
}
