package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only the documented forms approve. */
class ApprovalPromptTest {
  static boolean approves(byte[] input) {
    InputStream in = new ByteArrayInputStream(input);
    return new ApprovalPrompt(in, new PrintWriter(new StringWriter())).ask("send?").approved();
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yes\\n|true",
        "yes|true",
        "yes\\r\\n|true",
        "yes\\nno\\n|true",
        "y\\n|false",
        "Y\\n|false",
        "YES\\n|false",
        "Yes\\n|false",
        "' yes \\n'|false",
        "' yes\\n'|false",
        "'yes \\n'|false",
        "yes please\\n|false",
        "yess\\n|false",
        "no\\n|false",
        "\\n|false",
        "\\r\\n|false",
        "''|false",
        "\\nyes\\n|false",
        "ye\\n|false",
        "yes\\tn|false",
        "\"yes\"\\n|false",
        "ok\\n|false",
        "true\\n|false",
        "1\\n|false",
      })
  void answers(String escaped, boolean expected) {
    String s = escaped.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
    assertEquals(expected, approves(s.getBytes(StandardCharsets.UTF_8)));
  }

  @org.junit.jupiter.api.Test
  void megabyteLineDeclines() {
    byte[] big = new byte[1 << 20];
    java.util.Arrays.fill(big, (byte) 'y');
    assertEquals(false, approves(big));
  }

  @org.junit.jupiter.api.Test
  void invalidUtf8Declines() {
    assertEquals(false, approves(new byte[] {(byte) 0xff, (byte) 0xfe, 'y', 'e', 's', '\n'}));
    assertEquals(false, approves(new byte[] {'y', 'e', 's', (byte) 0xc3, '\n'}));
  }

  static String why(byte[] input) {
    return new ApprovalPrompt(new ByteArrayInputStream(input), new PrintWriter(new StringWriter())).ask("send?").why();
  }

  @org.junit.jupiter.api.Test
  void binaryInputIsNoAnswerNotATooLongAnswer() {
    // What a JVM started with stdin closed reads on descriptor 0: its own module image (magic 0xCAFEDADA).
    byte[] modules = new byte[4096];
    modules[0] = (byte) 0xDA;
    modules[1] = (byte) 0xDA;
    modules[2] = (byte) 0xFE;
    modules[3] = (byte) 0xCA;
    assertEquals("no answer: stdin is closed or does not hold text", why(modules));
    assertEquals("no answer: stdin is closed or does not hold text", why(new byte[] {0, 0, 0, '\n'}));
    assertEquals("no answer: stdin closed", why(new byte[0]));
    byte[] longText = new byte[200];
    java.util.Arrays.fill(longText, (byte) 'y');
    assertEquals("answer too long", why(longText));
  }

  @org.junit.jupiter.api.Test
  void controlCharactersInTheSummaryAreShownEscaped() {
    StringWriter shown = new StringWriter();
    new ApprovalPrompt(new ByteArrayInputStream(new byte[0]), new PrintWriter(shown)).ask("to: ana\u001b[2J\r\nline two\tok");
    assertEquals("to: ana\\u001B[2J\\r\nline two\tok", shown.toString().lines().limit(2).reduce((a, b) -> a + "\n" + b).orElseThrow());
  }
}
