package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** policy.status shows what bulk email (sequence stages) carries, from the policy contract. */
class PolicyBulkEmailTest {
  @TempDir Path tmp;

  @Test
  void policyStatusShowsThePostalAddressAndTheUnsubscribe() {
    CliRun.Result json = new CliRun(tmp.resolve("outbox")).run("policy.status", "--output", "json");
    assertEquals(0, json.exit(), json::toString);
    Map<?, ?> bulk = (Map<?, ?>) ((Map<?, ?>) Json.parse(json.out())).get("bulk_email");
    assertEquals("Lakeside Print, 1200 W Lake St, Chicago, IL 60607", bulk.get("postal_address"));
    assertEquals("unsubscribe@lakesideprint.com", bulk.get("unsubscribe_mailto"));
    assertEquals("https://lakesideprint.com/unsubscribe/{delivery_id}", bulk.get("unsubscribe_url"));
    CliRun.Result table = new CliRun(tmp.resolve("outbox")).run("policy.status");
    assertTrue(table.out().contains("bulk email (sequence stages)") && table.out().contains("(one-click), mailto:unsubscribe@lakesideprint.com"), table.out());
  }
}
