package comms.cli;

import comms.core.receipt.RunKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one capability run did: the facts its receipt records. */
final class RunRecord {
  /** Run keys and receipt times use the real clock: they identify runs, COMMS_NOW plans business time. */
  static final Clock WALL = Clock.systemUTC();

  private String key;
  String capability;
  Instant startedAt;
  String mode;
  String approval = "not-required";
  final List<Path> artifacts = new ArrayList<>();
  /** Command-specific facts for the receipt (certify's results, for one). */
  final java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();

  synchronized String key() {
    if (key == null) {
      key = RunKey.next(WALL);
    }
    return key;
  }
}
