package comms.cli.commands;

import picocli.CommandLine.Option;

/** The --execute switch every mutating command shares: without it a dry run that changes nothing. */
public final class ExecuteOption {
  @Option(names = "--execute", description = "Apply it (after you type yes on stdin). Without it: a dry run that changes nothing.")
  boolean execute;
}
