package comms.cli;

import comms.core.outbox.FaultPoint;
import java.util.Map;
import java.util.Set;

/**
 * Crash tests' fault injection: {@code COMMS_FAULT=name[,name…]} makes the process halt (as if
 * killed) when it reaches one of the named points. Off unless that variable is set.
 */
final class FaultInjection {
  private FaultInjection() {}

  static FaultPoint from(Map<String, String> env) {
    String spec = env.get("COMMS_FAULT");
    if (spec == null || spec.isBlank()) {
      return FaultPoint.NONE;
    }
    Set<String> names = Set.of(spec.split(","));
    return name -> {
      if (names.contains(name)) {
        Runtime.getRuntime().halt(137);
      }
    };
  }
}
