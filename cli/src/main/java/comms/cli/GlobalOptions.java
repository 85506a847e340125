package comms.cli;

import comms.cli.output.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, wherever they appear on the line. */
public final class GlobalOptions {
  Path bindings;
  Path outbox;
  Format output = Format.table;
  boolean verbose;
  /** The global options as given, so `cap run` can pass them on unchanged. */
  final List<String> given = new ArrayList<>();

  @Option(
      names = "--bindings",
      paramLabel = "DIR",
      converter = Folder.class,
      scope = ScopeType.INHERIT,
      description = "Contracts folder (default: $COMMS_BINDINGS, else the bindings folder in the current folder).")
  void bindings(Path p) {
    if (p == null) {
      return;
    }
    bindings = p;
    given.add("--bindings=" + p);
  }

  @Option(
      names = "--outbox",
      paramLabel = "DIR",
      converter = Folder.class,
      scope = ScopeType.INHERIT,
      description = "Evidence folder (default: $COMMS_OUTBOX, else $SPINE_OUTBOX, else the outbox folder in the current folder).")
  void outbox(Path p) {
    if (p == null) {
      return;
    }
    outbox = p;
    given.add("--outbox=" + p);
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      description = "table (default), json or yaml. JSON and YAML go to stdout as one document.")
  void output(Format f) {
    if (f == null) {
      return;
    }
    output = f;
    given.add("--output=" + f);
  }

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show stack traces on internal errors and one line per provider HTTP exchange.")
  void verbose(boolean v) {
    verbose = v;
    if (v) {
      given.add("--verbose");
    }
  }

  boolean noReceipt;

  @Option(
      names = "--no-receipt",
      scope = ScopeType.INHERIT,
      description = "Do not write a receipt for this run (read-only commands only; mutating runs always leave one).")
  void noReceipt(boolean v) {
    noReceipt = v;
    if (v) {
      given.add("--no-receipt");
    }
  }

  String as;

  @Option(
      names = "--as",
      paramLabel = "EMAIL",
      scope = ScopeType.INHERIT,
      description = "Act as this operator (default: $COMMS_OPERATOR, else the operators contract's default_operator).")
  void as(String v) {
    if (v == null) {
      return;
    }
    as = v;
    given.add("--as=" + v);
  }

  String actor;

  @Option(
      names = "--actor",
      paramLabel = "agent:NAME",
      scope = ScopeType.INHERIT,
      description = "An agent acting for the operator: the audit row names the agent as actor and the operator as owner.")
  void actor(String v) {
    if (v == null) {
      return;
    }
    actor = v;
    given.add("--actor=" + v);
  }

  /** The operator named by --as, or null. */
  public String as() {
    return as;
  }

  /** The agent named by --actor, or null. */
  public String actor() {
    return actor;
  }

  /** The actor when --actor was not given (comms mcp: always an agent); the identity is resolved after. */
  public void defaultActor(String agent) {
    if (actor == null) {
      actor = agent;
    }
  }

  public List<String> given() {
    return List.copyOf(given);
  }

  public Format output() {
    return output;
  }

  /**
   * A folder given on the command line. An empty value (typically an unset shell variable, as in
   * {@code --outbox "$OUTBOX"}) would otherwise mean the current folder and scatter evidence there.
   */
  static final class Folder implements CommandLine.ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      if (value.isBlank()) {
        throw new CommandLine.TypeConversionException("it is empty; give a folder such as ./outbox");
      }
      try {
        return Path.of(value);
      } catch (java.nio.file.InvalidPathException e) {
        throw new CommandLine.TypeConversionException("it is not a usable path (" + e.getReason() + ")");
      }
    }
  }
}
