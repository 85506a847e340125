package comms.cli.commands.sequence;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The sequence a versioned change names, and the state_version the operator read (a stale one is refused). */
public final class VersionedSequence {
  @Parameters(index = "0", paramLabel = "ID", description = "The sequence's id, or its name among your sequences in play.")
  String id;

  @Option(names = "--state-version", required = true, paramLabel = "N", description = "The state_version you read; a stale one is refused.")
  int stateVersion;
}
