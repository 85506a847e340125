package comms.cli;

import comms.cli.commands.CompletionCommand;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Builds the picocli command tree for one run. Reflecting a command class (its annotations, fields
 * and methods) is most of picocli's start-up cost, so a command line that names a command gets the
 * root plus only that command; anything else (no command, --help or --version, a misspelt name, an
 * option this class cannot place) gets the whole tree, and so gets exactly the same help, errors and
 * suggestions as before.
 */
final class CommandTree {
  private CommandTree() {}

  /** Commands that read the whole tree themselves (the completion script lists every command). */
  private static final Set<Class<?>> NEED_WHOLE_TREE = Set.of(CompletionCommand.class);

  /** The root with every command in {@link CommsCommand#COMMANDS}. */
  static CommandLine whole(App app) {
    return rootWith(app, CommsCommand.COMMANDS);
  }

  /** The root with just the command {@code args} runs when that is certain, else {@link #whole}. */
  static CommandLine forArgs(App app, String... args) {
    Class<?> only = commandRun(args);
    return only == null ? whole(app) : rootWith(app, List.of(only));
  }

  private static CommandLine rootWith(App app, List<Class<?>> commands) {
    CommandLine cl = new CommandLine(new CommsCommand(app));
    CommandSpec root = cl.getCommandSpec();
    // Added this way, a command would inherit --help/--version before the global options; declared
    // in @Command(subcommands) it got them after. Keep that order (synopsis, completion script).
    boolean standardHelp = root.mixinStandardHelpOptions();
    root.mixinStandardHelpOptions(false);
    for (Class<?> c : commands) {
      // A command still listed in @Command(subcommands) (a merge that missed COMMANDS) is already
      // there: slower, but not a duplicate-name failure. CommandTreeTest flags it.
      if (!cl.getSubcommands().containsKey(c.getAnnotation(Command.class).name())) {
        cl.addSubcommand(c);
      }
    }
    root.mixinStandardHelpOptions(standardHelp);
    return cl;
  }

  /**
   * The command class that {@code args} runs: the first argument after the global options, when it
   * is a command's name or alias. Null when in any doubt.
   */
  static Class<?> commandRun(String... args) {
    List<GlobalOption> globals = globalOptions();
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      int used = consumed(globals, args, i);
      if (used == 0) {
        return null;
      }
      i += used;
    }
    if (i >= args.length) {
      return null;
    }
    Class<?> c = byName(args[i]);
    return c == null || NEED_WHOLE_TREE.contains(c) ? null : c;
  }

  private static Class<?> byName(String name) {
    for (Class<?> c : CommsCommand.COMMANDS) {
      Command a = c.getAnnotation(Command.class);
      if (a != null && (a.name().equals(name) || Arrays.asList(a.aliases()).contains(name))) {
        return c;
      }
    }
    return null;
  }

  /** A global option's names and whether it takes a value. */
  private record GlobalOption(List<String> names, boolean takesValue) {}

  private static List<GlobalOption> globalOptions() {
    List<GlobalOption> out = new ArrayList<>();
    for (Method m : GlobalOptions.class.getDeclaredMethods()) {
      Option o = m.getAnnotation(Option.class);
      if (o != null && m.getParameterCount() == 1) {
        Class<?> t = m.getParameterTypes()[0];
        out.add(new GlobalOption(List.of(o.names()), t != boolean.class && t != Boolean.class));
      }
    }
    return out;
  }

  /**
   * How many arguments the global option at {@code args[i]} uses (1 or 2), or 0 when it is not one
   * this class can place for certain (clustered short options, --, root-only options such as --help).
   */
  private static int consumed(List<GlobalOption> globals, String[] args, int i) {
    String a = args[i];
    for (GlobalOption g : globals) {
      for (String n : g.names()) {
        if (a.equals(n)) {
          if (!g.takesValue()) {
            return 1;
          }
          // picocli refuses a command name as an option's value; let the whole tree say so.
          return i + 1 < args.length && byName(args[i + 1]) == null ? 2 : 0;
        }
        if (a.startsWith(n + "=")) {
          return 1;
        }
        if (g.takesValue() && n.length() == 2 && a.length() > 2 && a.startsWith(n) && !n.startsWith("--")) {
          return 1;
        }
      }
    }
    return 0;
  }
}
