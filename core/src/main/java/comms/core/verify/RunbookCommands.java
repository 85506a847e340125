package comms.core.verify;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shell commands in the runbooks' fenced {@code bash} blocks, as comms invocations: their words,
 * the stdin an {@code echo WORD |} pipe feeds them, and the exit a trailing {@code # exit N} expects
 * (0 when absent). Tests run them so runbooks cannot drift; {@code comms certify} runs them as the
 * canonical invocation of each capability.
 */
public final class RunbookCommands {
  static final Pattern FENCE = Pattern.compile("```(?:bash|sh|shell)\\n(.*?)```", Pattern.DOTALL);
  static final Pattern EXPECT = Pattern.compile("#\\s*exit\\s+(\\d)\\s*$");
  static final List<String> LAUNCHERS = List.of("comms", "bin/comms", "./bin/comms", "bin/ops", "./bin/ops");

  private RunbookCommands() {}

  /** One runbook command; {@code args} are the words after the launcher, {@code stdin} null when nothing is piped. */
  public record Step(Path file, int line, String text, List<String> args, String stdin, int exit) {
    public Step {
      args = List.copyOf(args);
    }

    /** The comms command it runs ({@code cap run communications.X} counts as X, {@code cap run infra.X} as infra.X). */
    public String command() {
      if (args.size() >= 3 && args.get(0).equals("cap") && args.get(1).equals("run")
          && (args.get(2).startsWith("communications.") || args.get(2).startsWith("infra."))) {
        // communications.X runs X; infra.X runs infra.X (see CapabilityRegistry.commandOf).
        return args.get(2).startsWith("infra.") ? args.get(2) : args.get(2).substring("communications.".length());
      }
      return args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    public String where() {
      return file + ":" + line;
    }
  }

  /** Every command of every runbook in {@code dir}, files in name order, commands in page order. */
  public static List<Step> read(Path dir) {
    List<Step> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        out.addAll(parse(f, Files.readString(f)));
      }
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot read the runbooks in " + dir + " (" + e.getMessage() + ")");
    }
    return out;
  }

  public static List<Step> parse(Path file, String text) {
    List<Step> out = new ArrayList<>();
    Matcher m = FENCE.matcher(text);
    while (m.find()) {
      int blockLine = (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
      String[] lines = m.group(1).split("\n", -1);
      StringBuilder joined = new StringBuilder();
      int startLine = blockLine;
      for (int i = 0; i < lines.length; i++) {
        String raw = lines[i];
        if (joined.length() == 0) {
          startLine = blockLine + i;
        }
        if (raw.endsWith("\\")) {
          joined.append(raw, 0, raw.length() - 1).append(' ');
          continue;
        }
        joined.append(raw);
        String line = joined.toString().strip();
        joined.setLength(0);
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        out.add(step(file, startLine, line));
      }
    }
    return out;
  }

  static Step step(Path file, int lineNo, String line) {
    int exit = 0;
    String text = line;
    Matcher e = EXPECT.matcher(line);
    if (e.find()) {
      exit = Integer.parseInt(e.group(1));
      line = line.substring(0, e.start()).strip();
    }
    List<String> words = ShellWords.split(line);
    String stdin = null;
    int pipe = words.indexOf("|");
    if (pipe >= 0) {
      if (pipe != 2 || !words.get(0).equals("echo")) {
        throw new CommsException(ExitCode.CONTRACT, file + ":" + lineNo + ": only `echo WORD | comms …` pipes are supported in runbooks");
      }
      stdin = words.get(1) + "\n";
      words = words.subList(pipe + 1, words.size());
    }
    if (words.isEmpty() || !LAUNCHERS.contains(words.get(0))) {
      throw new CommsException(ExitCode.CONTRACT, file + ":" + lineNo + ": runbook commands start with comms, bin/comms or bin/ops: " + line);
    }
    return new Step(file, lineNo, text, words.subList(1, words.size()), stdin, exit);
  }

  /** Splits a shell line into words the way bash does for the quoting runbooks use. */
  static final class ShellWords {
    private ShellWords() {}

    static List<String> split(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder w = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\'') {
          int end = line.indexOf('\'', i + 1);
          if (end < 0) {
            throw new CommsException(ExitCode.CONTRACT, "unclosed ' in runbook command: " + line);
          }
          w.append(line, i + 1, end);
          i = end;
          inWord = true;
        } else if (c == '"') {
          int j = i + 1;
          while (j < line.length() && line.charAt(j) != '"') {
            if (line.charAt(j) == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
              j++;
            }
            w.append(line.charAt(j));
            j++;
          }
          if (j >= line.length()) {
            throw new CommsException(ExitCode.CONTRACT, "unclosed \" in runbook command: " + line);
          }
          i = j;
          inWord = true;
        } else if (c == ' ' || c == '\t') {
          if (inWord) {
            words.add(w.toString());
            w.setLength(0);
            inWord = false;
          }
        } else if (c == '|' && !inWord) {
          words.add("|");
        } else {
          w.append(c);
          inWord = true;
        }
      }
      if (inWord) {
        words.add(w.toString());
      }
      return words;
    }
  }
}
