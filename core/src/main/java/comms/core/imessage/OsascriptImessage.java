package comms.core.imessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * iMessage through Messages.app: {@code osascript} runs a fixed AppleScript whose {@code on run argv}
 * handler receives the number and the text as arguments. Nothing of a message is ever written into
 * the script, so quotes, backslashes, newlines or emoji in a text cannot change what the script does;
 * the process is started without a shell, so no shell quoting is involved either.
 */
public final class OsascriptImessage implements PhoneTransport {
  /** The script, one line per {@code -e}: the number is argv's item 1, the text item 2. */
  public static final List<String> SCRIPT =
      List.of(
          "on run argv",
          "  set targetNumber to item 1 of argv",
          "  set messageText to item 2 of argv",
          "  tell application \"Messages\"",
          "    set targetService to 1st account whose service type = iMessage",
          "    set targetBuddy to participant targetNumber of targetService",
          "    send messageText to targetBuddy",
          "  end tell",
          "end run");

  private final String osascript;
  private final Duration timeout;
  private final java.util.Map<String, String> env;

  /**
   * @param osascript the program to run: a path, or a name looked up on {@code env}'s PATH (the run's
   *     environment, so a test can put its own osascript first on the PATH it gives)
   */
  public OsascriptImessage(String osascript, Duration timeout, java.util.Map<String, String> env) {
    this.osascript = Objects.requireNonNull(osascript);
    this.timeout = Objects.requireNonNull(timeout);
    this.env = java.util.Map.copyOf(env);
  }

  /** The program {@code name} names: itself when it holds a '/', else the first executable of that name on PATH. */
  String program() {
    if (osascript.contains("/")) {
      return osascript;
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      java.nio.file.Path p = java.nio.file.Path.of(dir, osascript);
      if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new TransportFailure(osascript + "_not_found: no executable " + osascript + " on PATH (this transport needs macOS)");
  }

  @Override
  public String name() {
    return "imessage";
  }

  /** The command line for one text: osascript, the script's lines, then the number and the text as the run handler's argv. */
  public List<String> command(String phone, String text) {
    List<String> cmd = new ArrayList<>();
    cmd.add(program());
    for (String line : SCRIPT) {
      cmd.add("-e");
      cmd.add(line);
    }
    // The number first: it starts with '+', so osascript's option parsing has ended before the text, whatever it starts with.
    cmd.add(phone);
    cmd.add(text);
    return cmd;
  }

  @Override
  public void send(String phone, String text) {
    if (!Prerequisites.E164.matcher(phone).matches()) {
      throw new TransportFailure("not_e164");
    }
    ProcessBuilder pb = new ProcessBuilder(command(phone, text)).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new TransportFailure("osascript_not_started: " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new TransportFailure("osascript_timeout");
      }
      if (p.exitValue() != 0) {
        String said = new String(out, StandardCharsets.UTF_8).strip();
        throw new TransportFailure("osascript_exit_" + p.exitValue() + (said.isEmpty() ? "" : ": " + said));
      }
    } catch (IOException e) {
      throw new TransportFailure("osascript_io: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new TransportFailure("interrupted");
    }
  }
}
