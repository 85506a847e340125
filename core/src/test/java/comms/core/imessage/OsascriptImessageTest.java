package comms.core.imessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppleScript call through a fake {@code osascript} first on PATH, which records its arguments:
 * the script is the same fixed lines for every text, and the text arrives whole as one argument to
 * {@code on run argv}, whatever quotes, backslashes, newlines or emoji it holds.
 */
class OsascriptImessageTest {
  @TempDir Path dir;

  /** A fake osascript that writes each argument NUL-terminated to {@code record} and exits {@code exit}. */
  Path fake(int exit) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path record = dir.resolve("args.bin");
    Path script = bin.resolve("osascript");
    Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '" + record + "'\necho 'execution error' >&2\nexit " + exit + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  List<String> recorded() throws IOException {
    String all = new String(Files.readAllBytes(dir.resolve("args.bin")), StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(Arrays.asList(all.split("\0", -1)));
    args.remove(args.size() - 1); // after the last NUL
    return args;
  }

  @Test
  void aHostileTextArrivesAsOneArgumentAndNeverInTheScript() throws IOException {
    Path bin = fake(0);
    OsascriptImessage t = new OsascriptImessage("osascript", Duration.ofSeconds(20), Map.of("PATH", bin + ":/usr/bin:/bin"));
    String text = "He said \"hi\" \\\" & \\\\ back\\slash\nline two\r\n\"; do shell script \"touch /tmp/pwned\" --\tend run 😀👍🏽 -e x '";
    t.send("+15551234567", text);
    List<String> args = recorded();
    List<String> expected = new ArrayList<>();
    for (String line : OsascriptImessage.SCRIPT) {
      expected.add("-e");
      expected.add(line);
    }
    expected.add("+15551234567");
    expected.add(text);
    assertEquals(expected, args);
    // The script itself names the text only as argv's item 2.
    for (String line : OsascriptImessage.SCRIPT) {
      assertTrue(!line.contains("hi") && !line.contains("pwned"), line);
    }
    assertTrue(OsascriptImessage.SCRIPT.contains("  set messageText to item 2 of argv"));
  }

  @Test
  void aTextStartingWithADashIsStillTheText() throws IOException {
    Path bin = fake(0);
    new OsascriptImessage("osascript", Duration.ofSeconds(20), Map.of("PATH", bin.toString())).send("+15551234567", "-e 'do shell script \"id\"'");
    List<String> args = recorded();
    assertEquals("-e 'do shell script \"id\"'", args.get(args.size() - 1));
    assertEquals("+15551234567", args.get(args.size() - 2));
  }

  @Test
  void aFailingOsascriptIsAFailureWithItsExitCode() throws IOException {
    Path bin = fake(1);
    OsascriptImessage t = new OsascriptImessage("osascript", Duration.ofSeconds(20), Map.of("PATH", bin.toString()));
    PhoneTransport.TransportFailure f = assertThrows(PhoneTransport.TransportFailure.class, () -> t.send("+15551234567", "hello"));
    assertTrue(f.getMessage().startsWith("osascript_exit_1") && f.getMessage().contains("execution error"), f.getMessage());
    PhoneTransport.TransportFailure none = assertThrows(PhoneTransport.TransportFailure.class,
        () -> new OsascriptImessage("osascript", Duration.ofSeconds(5), Map.of("PATH", dir.resolve("nothing").toString())).send("+15551234567", "x"));
    assertTrue(none.getMessage().contains("not_found"), none.getMessage());
    assertThrows(PhoneTransport.TransportFailure.class, () -> t.send("5551234567", "x"), "a number that is not E.164 is never passed on");
  }
}
