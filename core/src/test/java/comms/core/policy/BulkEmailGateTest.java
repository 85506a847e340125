package comms.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.contract.PolicyContract;
import comms.core.contract.YamlValue;
import comms.core.delivery.UnsubscribeHeaders;
import comms.core.send.Gate;
import comms.core.send.Preview;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk email (a sequence stage) carries the postal address and an unsubscribe from the policy contract, or is blocked. */
class BulkEmailGateTest {
  static final Path BINDINGS_DIR = Path.of("..", "bindings").toAbsolutePath().normalize();
  static final Bindings BINDINGS = Bindings.open(BINDINGS_DIR);
  static final Instant MONDAY_10_NY = Instant.parse("2026-12-07T15:00:00Z");
  static final Map<String, String> VARS =
      Map.of("customer_name", "Ana", "order_number", "30020", "balance_amount", "42.00", "payment_link", "https://example.com/pay");

  static Preview preview(PolicyContract policy, boolean bulk) {
    Previewer p =
        new Previewer(BINDINGS.delivery(), BINDINGS.providers(), BINDINGS.templates(), policy, comms.core.send.ConsentRecords.NONE, comms.core.send.SuppressionList.NONE);
    return p.preview(new PreviewRequest("email", "payment_needed", "ana@example.com", "implied", VARS, MONDAY_10_NY, null, false, null, bulk));
  }

  static Gate gate(Preview p) {
    return p.gates().stream().filter(g -> g.name().equals(Gate.BULK_EMAIL)).findFirst().orElseThrow();
  }

  /** The sample policy contract with its bulk_email section replaced by {@code section} (empty: none). */
  static PolicyContract policyWith(String section) throws Exception {
    String text = Files.readString(BINDINGS_DIR.resolve(PolicyContract.FILE));
    int at = text.indexOf("\nbulk_email:");
    assertTrue(at > 0, "the sample policy has a bulk_email section");
    return PolicyContract.from(YamlValue.parse(text.substring(0, at + 1) + section, PolicyContract.FILE));
  }

  @Test
  void aBulkEmailGetsThePostalAddressFooterInBothPartsAndTheLaterGatesSeeIt() {
    Preview p = preview(BINDINGS.policy(), true);
    assertEquals(Preview.Verdict.allowed, p.verdict(), p.gates()::toString);
    assertEquals(Gate.Result.pass, gate(p).result());
    assertTrue(p.body().contains("\n\n--\nLakeside Print, 1200 W Lake St, Chicago, IL 60607\n"), p.body());
    assertTrue(p.body().contains("write to unsubscribe@lakesideprint.com"), p.body());
    assertTrue(p.html().contains("Lakeside Print, 1200 W Lake St, Chicago, IL 60607<br>"), p.html());
    assertTrue(gate(p).reason().contains("with one-click"), gate(p).reason());
  }

  @Test
  void aTransactionalEmailGetsNoFooter() {
    Preview p = preview(BINDINGS.policy(), false);
    assertFalse(p.body().contains("1200 W Lake St"), p.body());
    assertTrue(gate(p).reason().startsWith("not bulk email"), gate(p).reason());
  }

  @Test
  void withoutAPostalAddressABulkEmailIsBlockedWithASentenceNamingTheContract() throws Exception {
    Preview none = preview(policyWith(""), true);
    assertEquals(Preview.Verdict.blocked, none.verdict());
    assertEquals(Gate.Result.fail, gate(none).result());
    assertTrue(gate(none).reason().contains("no bulk_email.postal_address"), gate(none).reason());
    assertTrue(gate(none).reason().contains("CAN-SPAM"), gate(none).reason());
    assertTrue(gate(none).reason().contains(PolicyContract.FILE), gate(none).reason());

    PolicyContract noAddress = policyWith("bulk_email:\n  unsubscribe_mailto: unsubscribe@lakesideprint.com\n");
    int line = (int) Files.readString(BINDINGS_DIR.resolve(PolicyContract.FILE)).lines().takeWhile(l -> !l.startsWith("bulk_email:")).count() + 1;
    Preview p = preview(noAddress, true);
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertTrue(gate(p).reason().contains(PolicyContract.FILE + ":" + (line + 1) + ":"), "names where the section is: " + gate(p).reason());
    assertEquals(Preview.Verdict.allowed, preview(noAddress, false).verdict(), "a transactional email needs none of it");
  }

  @Test
  void withoutAnyUnsubscribeABulkEmailIsBlocked() throws Exception {
    Preview p = preview(policyWith("bulk_email:\n  postal_address: \"Lakeside Print, 1200 W Lake St, Chicago, IL 60607\"\n"), true);
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertTrue(gate(p).reason().contains("names neither bulk_email.unsubscribe_mailto nor bulk_email.unsubscribe_url"), gate(p).reason());
  }

  @Test
  void theReaderRefusesAnUnsubscribeUrlThatIsNotHttpsWithItsLine() {
    ContractException e =
        assertThrows(ContractException.class, () -> policyWith("bulk_email:\n  postal_address: Somewhere 1\n  unsubscribe_url: http://x.example/u\n"));
    assertTrue(e.getMessage().contains("unsubscribe_url must be an https URL"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*" + PolicyContract.FILE.replace(".", "\\.") + ":\\d+:\\d+.*"), e.getMessage());
  }

  @Test
  void theHeadersNameTheDeliveryNeverTheRecipient() {
    Map<String, String> h = UnsubscribeHeaders.of(BINDINGS.policy().bulkEmail(), "dlv-0003");
    assertEquals(
        "<https://lakesideprint.com/unsubscribe/dlv-0003>, <mailto:unsubscribe@lakesideprint.com?subject=unsubscribe%20dlv-0003>", h.get("List-Unsubscribe"));
    assertEquals("List-Unsubscribe=One-Click", h.get("List-Unsubscribe-Post"));
    Map<String, String> mailOnly = UnsubscribeHeaders.of(new PolicyContract.BulkEmail(null, "Somewhere 1", "u@example.com", null), "dlv-1");
    assertEquals(Map.of("List-Unsubscribe", "<mailto:u@example.com?subject=unsubscribe%20dlv-1>"), mailOnly, "no one-click without an https URL (RFC 8058)");
  }
}
