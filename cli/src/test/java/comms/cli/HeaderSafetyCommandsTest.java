package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mail.send.test keeps its subject and sender one line (exit 2 before anything happens), reads a body
 * file, and its prompt shows everything first; tables and prompts show control characters escaped.
 */
class HeaderSafetyCommandsTest {
  static final String DAYTIME = "2026-11-18T17:00:00Z";
  static final String TO = "dana@lakesideprint.com";

  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", DAYTIME);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"pilot\r\nBcc: all@example.com", "pilot\n", "a\tb", "a\u0085b", "a\u2028b", "a\u001b[2Jb", "a\u007fb"})
  void aSubjectWithAControlCharacterIsAUsageErrorThatChangesNothing(String subject) {
    CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", TO, "--subject", subject, "--body", "hello", "--execute");
    assertEquals(2, r.exit(), r::toString);
    String code = String.format("U+%04X", subject.codePoints().filter(c -> c < 0x20 || c >= 0x7f).findFirst().getAsInt());
    assertTrue(r.err().contains("--subject") && r.err().contains(code), r::toString);
    assertFalse(r.err().contains("Type yes"), "refused before the prompt: " + r);
    assertFalse(r.err().contains("\u001b") || r.err().contains("\r"), "the message shows the subject escaped: " + r);
    assertFalse(Files.exists(tmp.resolve("outbox")), "a refused run writes nothing");
  }

  @Test
  void aSenderWithALineBreakIsAUsageError() {
    CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", TO, "--from", "orders@lakesideprint.com\r\nBcc: x@example.com", "--subject", "s", "--body", "b", "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("--from 'orders@lakesideprint.com\\r\\nBcc: x@example.com' holds U+000D"), r::toString);
    assertFalse(Files.exists(tmp.resolve("outbox")));
  }

  @Test
  void thePromptShowsTheVerdictAndChecksBeforeTheQuestionWithTheBodyEscaped() {
    CliRun.Result r = cli().stdin("no\n").run("mail.send.test", "--to", TO, "--subject", "pilot test", "--body", "hello\u001b]0;owned\u0007\nsecond line", "--execute");
    assertEquals(5, r.exit(), r::toString);
    int question = r.err().indexOf("Type yes");
    assertTrue(question > 0, r::toString);
    String before = r.err().substring(0, question);
    assertTrue(before.contains("verdict:   allowed"), before);
    assertTrue(before.contains("pass recipient"), before);
    assertTrue(before.contains("pass header_safety"), before);
    assertTrue(before.contains("hello\\u001B]0;owned\\u0007\n  second line"), before);
    assertFalse(r.err().contains("\u001b") || r.err().contains("\u0007"), r::toString);
  }

  @Test
  void aBodyFileIsSentAsItsText() throws Exception {
    Path f = tmp.resolve("note.txt");
    Files.writeString(f, "Grüße from the pilot\nline two\n", StandardCharsets.UTF_8);
    CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", TO, "--subject", "pilot test", "--body-file", f.toString(), "--execute", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.err().contains("Grüße from the pilot\n  line two"), r::toString);
    String token = (String) json(r).get("token");
    assertEquals(1, ((List<?>) json(cli().run("mail.search", "--query", "Grüße", "-o", "json")).get("messages")).size(), token);
  }

  @Test
  void aMissingBinaryOrNonUtf8BodyFileIsAUsageErrorNamingIt() throws Exception {
    Path missing = tmp.resolve("nope.txt");
    Path binary = tmp.resolve("image.png");
    Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
    Path latin1 = tmp.resolve("latin1.txt");
    Files.write(latin1, "Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1));
    for (Object[] c : new Object[][] {{missing, "no such file"}, {binary, "binary"}, {latin1, "not UTF-8"}, {tmp, "is a folder"}}) {
      CliRun.Result r = cli().stdin("yes\n").run("mail.send.test", "--to", TO, "--subject", "s", "--body-file", c[0].toString(), "--execute");
      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.err().contains("--body-file " + c[0]) && r.err().contains((String) c[1]), r::toString);
      assertFalse(Files.exists(tmp.resolve("outbox")), r::toString);
    }
  }

  @Test
  void bodyAndBodyFileAreMutuallyExclusiveAndOneIsRequired() throws Exception {
    Path f = tmp.resolve("note.txt");
    Files.writeString(f, "hi");
    CliRun.Result both = cli().run("mail.send.test", "--to", TO, "--subject", "s", "--body", "b", "--body-file", f.toString());
    assertEquals(2, both.exit(), both::toString);
    assertTrue(both.err().contains("mutually exclusive"), both::toString);
    CliRun.Result neither = cli().run("mail.send.test", "--to", TO, "--subject", "s");
    assertEquals(2, neither.exit(), neither::toString);
    assertTrue(neither.err().contains("--body"), neither::toString);
  }

  @Test
  void mailSearchShowsControlCharactersInSubjectsEscaped() {
    Path bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "communications.stack.contract.yaml", "subject: \"Re: Order 30020 - 150 tees, proof approved\"",
        "subject: \"Re: Order 30020\\e]0;owned\\a\\r\\nX-Evil: 1\"");
    CliRun.Result table = new CliRun(tmp.resolve("outbox")).bindings(bindings).run("mail.search", "--query", "*");
    assertEquals(0, table.exit(), table::toString);
    assertTrue(table.out().contains("Re: Order 30020\\u001B]0;owned\\u0007\\r\\nX-Evil: 1"), table::out);
    assertFalse(table.out().contains("\u001b") || table.out().contains("\r") || table.out().contains("\u0007"), table::out);
    CliRun.Result js = new CliRun(tmp.resolve("outbox")).bindings(bindings).run("mail.search", "--query", "*", "-o", "json");
    assertTrue(js.out().contains("Re: Order 30020\\u001b]0;owned\\u0007\\r\\nX-Evil: 1"), js::out);
  }

  @Test
  void sendExecuteAsksOnlyAfterShowingTheVerdictEveryGateAndTheUndeclaredVariables() {
    CliRun.Result r =
        cli().stdin("no\n").run(
            "send.execute", "--channel", "sms", "--message-type", "payment_needed", "--to", "+15551234567", "--consent-state", "opted-in",
            "--vars-json", "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\",\"coupon\":\"X\"}",
            "--execute");
    assertEquals(5, r.exit(), r::toString);
    String before = r.err().substring(0, r.err().indexOf("Type yes"));
    assertTrue(before.contains("verdict:         allowed"), before);
    for (String gate : List.of("recipient", "consent", "suppression", "quiet_hours", "stop_footer", "bulk_email", "template_residue", "header_safety", "length", "forbidden_patterns")) {
      assertTrue(before.contains(gate), gate + " missing before the question:\n" + before);
    }
    assertTrue(before.contains("warn recipient"), before);
    assertTrue(before.contains("undeclared vars: coupon"), before);
  }
}
