package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Given contract text, when it is loaded, then it becomes values or a refusal that says where. */
class ContractLoadingTest {
  static final Path SAMPLE = Path.of("..", "bindings");

  static ContractException refuse(String text, java.util.function.Function<YamlValue, ?> reader) {
    return assertThrows(ContractException.class, () -> reader.apply(YamlValue.parse(text, "x.yaml")));
  }

  @Test
  void sampleBindingsLoad() {
    Bindings b = Bindings.open(SAMPLE).loadAll();
    assertEquals("communications-stack", b.stack().stack().name());
    assertEquals(2, b.stack().pilot().activeMailboxes().size());
    assertEquals(4, b.providers().providers().size());
    assertEquals("gmail", b.operators().mailbox("sam@lakesideprint.com").orElseThrow().provider());
    assertEquals(7, b.delivery().messageTypes().size()); // four transactional, three for the sample welcome sequence
    assertTrue(b.templates().templates().size() >= 8);
    assertEquals("Reply STOP to opt out.", b.policy().stopFooter().text());
  }

  @Test
  void syntaxErrorNamesFileLineAndColumn() {
    ContractException e = refuse("version: 1\nproviders:\n  graph: [unclosed\n", ProvidersContract::from);
    assertTrue(e.getMessage().startsWith("x.yaml:4:"), e.getMessage());
    assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    assertEquals(3, e.exitCode().code());
  }

  @Test
  void theIdempotencyWindowIsADayUnlessTheContractSaysOtherwise() {
    assertEquals(24, Bindings.open(SAMPLE).loadAll().delivery().idempotency().windowHours());
    assertEquals(24, DeliveryContract.from(YamlValue.parse("mode: simulation\nmessage_types: []\n", "x.yaml")).idempotency().windowHours());
    DeliveryContract month = DeliveryContract.from(YamlValue.parse("mode: simulation\nmessage_types: []\nidempotency:\n  window_hours: 720\n", "x.yaml"));
    assertEquals(java.time.Duration.ofDays(30), month.idempotency().window());
    assertEquals(720, month.simulated().idempotency().windowHours());
    ContractException e = refuse("mode: simulation\nmessage_types: []\nidempotency:\n  window_hours: 1\n", DeliveryContract::from);
    assertTrue(e.getMessage().startsWith("x.yaml:4:17 (idempotency.window_hours)"), e.getMessage());
    assertTrue(e.getMessage().contains("between 24"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefusedWithItsPath() {
    ContractException e =
        refuse(
            "version: 1\nmode: simulation\nmessage_types: []\nretries: 3\n", DeliveryContract::from);
    assertTrue(e.getMessage().startsWith("x.yaml:4:1 (retries)"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'retries'"), e.getMessage());
    assertTrue(e.getMessage().contains("known keys here:"), e.getMessage());
  }

  @Test
  void nestedUnknownKeyNamesFullPath() {
    ContractException e =
        refuse(
            "message_types:\n  - name: a\n    routes:\n      - {channel: sms, provider: p, template: t, priority: 1}\nmode: live\n",
            DeliveryContract::from);
    assertTrue(e.getMessage().contains("(message_types[0].routes[0].priority)"), e.getMessage());
    assertTrue(e.getMessage().startsWith("x.yaml:4:"), e.getMessage());
  }

  @Test
  void wrongTypeIsRefused() {
    ContractException e =
        refuse(
            "targets:\n  - name: a\n    vm_id: two-hundred\n    profile: p\n    host: h\n    services: []\n",
            InfraTargets::from);
    assertTrue(e.getMessage().startsWith("x.yaml:3:12 (targets[0].vm_id)"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a whole number but found the text 'two-hundred'"), e.getMessage());
  }

  @Test
  void missingFieldIsRefused() {
    ContractException e = refuse("mode: simulation\n", DeliveryContract::from);
    assertTrue(e.getMessage().contains("missing required field 'message_types'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("x.yaml:1:1"), e.getMessage());
  }

  @Test
  void enumValueIsChecked() {
    ContractException e = refuse("mode: production\nmessage_types: []\n", DeliveryContract::from);
    assertTrue(e.getMessage().contains("'mode' is 'production'; use one of simulation, live"), e.getMessage());
  }

  @Test
  void duplicateKeysAreRefused() {
    ContractException e = refuse("mode: live\nmode: simulation\nmessage_types: []\n", DeliveryContract::from);
    assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
  }

  @Test
  void anchorsAndAliasesAreRefused() {
    ContractException e =
        refuse("mode: &m simulation\nmessage_types: []\nx: *m\n", DeliveryContract::from);
    assertTrue(e.getMessage().contains("alias") || e.getMessage().contains("anchor"), e.getMessage());
  }

  @Test
  void secretValuesCannotStandInForVariableNames() {
    ContractException e =
        refuse(
            "providers:\n  t:\n    kind: twilio\n    channels: [sms]\n    env:\n      auth_token: abc123secret\n",
            ProvidersContract::from);
    assertTrue(e.getMessage().contains("(providers.t.env.auth_token)"), e.getMessage());
    assertTrue(e.getMessage().contains("not an environment variable name"), e.getMessage());
  }

  @Test
  void plainHttpOnlyForLoopback() {
    ContractException e =
        refuse(
            "providers:\n  t:\n    kind: twilio\n    channels: [sms]\n    base_url: http://api.twilio.com\n    env: {}\n",
            ProvidersContract::from);
    assertTrue(e.getMessage().contains("must be an https:// URL"), e.getMessage());
  }

  @Test
  void emptyFileIsRefused() {
    ContractException e = refuse("", DeliveryContract::from);
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void quietHoursWrapMidnight() {
    PolicyContract p = Bindings.open(SAMPLE).policy();
    assertTrue(p.quietHours().contains(java.time.LocalTime.of(23, 0)));
    assertTrue(p.quietHours().contains(java.time.LocalTime.of(7, 59)));
    assertTrue(!p.quietHours().contains(java.time.LocalTime.of(8, 0)));
    assertTrue(!p.quietHours().contains(java.time.LocalTime.of(20, 59)));
  }
}
