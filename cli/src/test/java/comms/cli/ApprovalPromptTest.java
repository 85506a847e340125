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
}
