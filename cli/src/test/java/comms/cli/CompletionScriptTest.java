package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 14: the completion script offers option values, not only option names. */
class CompletionScriptTest {
  @TempDir Path tmp;

  String script() {
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).run("completion", "bash");
    assertEquals(0, r.exit(), r::toString);
    return r.out();
  }

  /** The body of the completion function picocli writes for one command. */
  static String function(String script, String command) {
    String name = "_picocli_comms_" + command.replace(".", "").replace("-", "").replace(" ", "_");
    Matcher m = Pattern.compile("function " + Pattern.quote(name) + "\\(\\) \\{\\n(.*?)\\n\\}\\n", Pattern.DOTALL).matcher(script);
    assertTrue(m.find(), () -> "no completion function " + name);
    return m.group(1);
  }

  @Test
  void channelsStatusesAndFormatsAreOffered() {
    String s = script();
    String log = function(s, "delivery.log");
    assertTrue(log.contains("(\"sms\" \"email\") # --channel values"), log);
    assertTrue(log.contains("\"simulated\" \"sent\" \"queued\" \"failed\" \"dead_letter\" \"blocked\" \"declined\") # --status values"), log);
    assertTrue(log.contains("(\"table\" \"json\" \"yaml\") # --output values"), log);
    String consent = function(s, "consent.record");
    assertTrue(consent.contains("(\"sms\" \"email\") # --channel values"), consent);
    assertTrue(consent.contains("(\"opted-in\" \"opted-out\") # --state values"), consent);
    assertTrue(function(s, "send.preview").contains("(\"sms\" \"email\") # --channel values"), s);
  }

  @Test
  void messageTypesComeFromTheDeliveryContract() {
    String s = script();
    for (String command : new String[] {"send.preview", "send.execute", "delivery.log"}) {
      String f = function(s, command);
      assertTrue(
          f.contains("\"payment_needed\"") && f.contains("\"order_ready\"") && f.contains("\"welcome_intro\"") && f.contains("# --message-type values"),
          command + ":\n" + f);
    }
  }

  @Test
  void capRunCompletesCapabilityNames() {
    String f = function(script(), "cap run");
    assertTrue(f.contains("\"communications.stack.status\""), f);
    assertTrue(f.contains("\"communications.send.execute\""), f);
    assertTrue(f.contains("positionals=$( compReplyArray \"${CAPABILITY_pos_param_args[@]}\" )"), f);
  }

  @Test
  void aBrokenContractStillGivesAScriptWithTheStaticValues() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: [");
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).bindings(b).run("completion", "bash");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(function(r.out(), "delivery.log").contains("\"dead_letter\""), r::toString);
  }
}
