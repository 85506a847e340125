package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.send.ConsentRecords;
import comms.core.send.Gate;
import comms.core.send.Preview;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.send.RecipientCheck;
import comms.core.send.SuppressionList;
import comms.core.send.TemplateRenderer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gates as classes: their order, each alone on a fixture, and a new gate added without touching the previewer. */
class SendGatesTest {
  static final Bindings B = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");
  static final Map<String, String> VARS =
      Map.of("customer_name", "Test", "order_number", "30020", "balance_amount", "150.00", "payment_link", "https://example.com/pay");

  static PreviewRequest sms(String to) {
    return new PreviewRequest("sms", "payment_needed", to, "opted-in", VARS, NOON_CHICAGO, null, false);
  }

  static GateContext context(PreviewRequest r) {
    Previewer.Resolved resolved = Previewer.from(B, ConsentRecords.NONE, SuppressionList.NONE).resolve(r.channel(), r.messageType());
    return new GateContext(
        r, resolved.provider(), resolved.template(), RecipientCheck.of(r.channel(), r.to(), r.live()),
        new TemplateRenderer().render(resolved.template(), r.vars()), B.policy(), ConsentRecords.NONE, SuppressionList.NONE);
  }

  @Test
  void theStandardGatesRunInThePreviewOrderAndEachCitesItsRule() {
    assertEquals(
        List.of("recipient", "consent", "suppression", "quiet_hours", "stop_footer", "bulk_email", "template_residue", "header_safety", "length", "forbidden_patterns"),
        StandardGates.ALL.stream().map(SendGate::name).toList());
    assertTrue(StandardGates.ALL.stream().allMatch(g -> !g.cites().isBlank()));
  }

  @Test
  void theStopFooterGateAloneAppendsTheFooterForTheGatesAfterIt() {
    GateContext m = context(sms("+13125550142"));
    assertFalse(m.body().contains("Reply STOP"));
    Gate g = new StopFooterGate().evaluate(m);
    assertEquals(Gate.Result.pass, g.result());
    assertTrue(m.body().endsWith("Reply STOP to opt out."), m.body());
    new LengthGate().evaluate(m);
    assertEquals(m.body().length(), m.sms().characters());
  }

  @Test
  void theQuietHoursGateAloneDefersAtNightInTheNumbersZone() {
    GateContext m = context(new PreviewRequest("sms", "payment_needed", "+13125550142", "opted-in", VARS, Instant.parse("2026-11-24T04:00:00Z"), null, false));
    Gate g = new QuietHoursGate().evaluate(m);
    assertEquals(Gate.Result.fail, g.result());
    assertTrue(m.deferred());
  }

  /** A gate a business might add: no texts that mention a discount. */
  static final class NoDiscountGate implements SendGate {
    @Override
    public String name() {
      return "no_discount";
    }

    @Override
    public String cites() {
      return "house rule: discounts go by email only";
    }

    @Override
    public Gate evaluate(GateContext m) {
      return m.body().contains("%") ? Gate.fail(name(), "texts may not offer discounts") : Gate.pass(name(), "no discount offered");
    }
  }

  @Test
  void aNewGateIsOneClassRegisteredWithThePreviewer() {
    List<SendGate> gates = new ArrayList<>(StandardGates.ALL);
    gates.add(new NoDiscountGate());
    Previewer p = new Previewer(B.delivery(), B.providers(), B.templates(), B.policy(), ConsentRecords.NONE, SuppressionList.NONE, gates);
    Preview plain = p.preview(sms("+13125550142"));
    assertEquals("no_discount", plain.gates().get(plain.gates().size() - 1).name());
    assertEquals(Preview.Verdict.allowed, plain.verdict());
    Map<String, String> v = new java.util.HashMap<>(VARS);
    v.put("balance_amount", "10% off");
    Preview discount = p.preview(new PreviewRequest("sms", "payment_needed", "+13125550142", "opted-in", v, NOON_CHICAGO, null, false));
    assertEquals(Preview.Verdict.blocked, discount.verdict());
    assertEquals(List.of("no_discount"), discount.failures().stream().map(Gate::name).toList());
  }
}
