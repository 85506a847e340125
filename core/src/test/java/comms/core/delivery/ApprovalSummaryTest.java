package comms.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.send.ConsentRecords;
import comms.core.send.Gate;
import comms.core.send.Preview;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.send.SuppressionList;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The approval summary shows the verdict, every gate with its reason and the undeclared variables before the question. */
class ApprovalSummaryTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());

  static Preview preview(String customerName) {
    Map<String, String> v = new HashMap<>();
    v.put("customer_name", customerName);
    v.put("order_number", "30020");
    v.put("balance_amount", "150.00");
    v.put("payment_link", "https://example.com/pay");
    v.put("coupon", "SAVE10");
    // The runbook's number is possible but unassigned: a recipient warning in simulation.
    PreviewRequest r = new PreviewRequest("sms", "payment_needed", "+15551234567", "opted-in", v, Instant.parse("2026-11-23T18:00:00Z"), null, false);
    return Previewer.from(BINDINGS, ConsentRecords.NONE, SuppressionList.NONE).preview(r);
  }

  @Test
  void verdictEveryGateAndUndeclaredVariablesComeBeforeTheMessage() {
    Preview p = preview("Test");
    String s = TransactionalSend.summary(p, "key-1");
    int message = s.indexOf("--- message ---");
    assertTrue(s.indexOf("verdict:         allowed") >= 0 && s.indexOf("verdict:") < message, s);
    for (Gate g : p.gates()) {
      int at = s.indexOf(g.name());
      assertTrue(at >= 0 && at < message, "gate " + g.name() + " missing before the message:\n" + s);
      assertTrue(s.contains(g.reason()), "reason of " + g.name() + " missing:\n" + s);
    }
    assertTrue(s.contains("warn recipient"), s);
    assertTrue(s.indexOf("warn recipient") < s.indexOf("pass consent"), "warnings first:\n" + s);
    assertTrue(s.contains("1 warns"), s);
    int vars = s.indexOf("undeclared vars: coupon");
    assertTrue(vars >= 0 && vars < message, s);
  }

  @Test
  void controlCharactersInTheMessageAreShownEscaped() {
    String s = TransactionalSend.summary(preview("Ana\u001b]0;owned\u0007\r"), "key-1");
    assertFalse(s.contains("\u001b"), s);
    assertFalse(s.contains("\r"), s);
    assertTrue(s.contains("Hi Ana\\u001B]0;owned\\u0007\\r,"), s);
    assertEquals(-1, s.indexOf('\u0007'));
  }
}
