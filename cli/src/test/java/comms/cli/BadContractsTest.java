package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken contract is refused with file, line and field path, exit 3, and nothing written. */
class BadContractsTest {
  @TempDir Path tmp;
  Path bindings;
  Path outbox;

  @BeforeEach
  void copy() {
    bindings = CliRun.copyBindings(tmp);
    outbox = tmp.resolve("outbox");
  }

  CliRun.Result run(String... args) {
    return new CliRun(outbox).bindings(bindings).run(args);
  }

  void assertRefused(CliRun.Result r, String fileAndLine, String problem) {
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains(fileAndLine), () -> "expected " + fileAndLine + " in\n" + r);
    assertTrue(r.err().contains(problem), () -> "expected " + problem + " in\n" + r);
    assertFalse(Files.exists(outbox), "a refused run must write nothing");
  }

  @Test
  void syntaxError() {
    CliRun.edit(bindings, "communications.policy.contract.yaml", "  start: \"21:00\"", "  start: \"21:00");
    assertRefused(run("policy.status"), "communications.policy.contract.yaml:", "YAML syntax error");
  }

  @Test
  void unknownKey() {
    CliRun.edit(bindings, "communications.policy.contract.yaml", "sms:\n  max_segments: 3", "sms:\n  max_segments: 3\n  max_segmets: 4");
    CliRun.Result r = run("policy.status");
    assertRefused(r, "communications.policy.contract.yaml:22:3 (sms.max_segmets)", "unknown key 'max_segmets'");
  }

  @Test
  void wrongType() {
    CliRun.edit(bindings, "communications.stack.contract.yaml", "vm_id: 214", "vm_id: [214]");
    assertRefused(run("mailboxes.list"), "communications.stack.contract.yaml:10:12 (stack.infra.vm_id)", "expected a whole number but found a list");
  }

  @Test
  void missingField() {
    CliRun.edit(bindings, "communications.stack.contract.yaml", "  execution_backend: microsoft-graph\n", "");
    assertRefused(run("mailboxes.list"), "communications.stack.contract.yaml:", "missing required field 'execution_backend' in pilot");
  }

  @Test
  void danglingProviderReferenceFailsStackStatus() {
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "{ channel: sms, provider: twilio, template: order_ready.sms }",
        "{ channel: sms, provider: twillio, template: order_ready.sms }");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("names provider 'twillio'"), r::toString);
    assertTrue(r.out().contains("communications.delivery.contract.yaml:15:9"), r::toString);
  }

  @Test
  void routeToProviderWithoutTheChannelFails() {
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "{ channel: sms, provider: twilio, template: proof_ready.sms }",
        "{ channel: sms, provider: resend, template: proof_ready.sms }");
    CliRun.Result r = run("stack.status", "-o", "json");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("does not serve channel sms"), r::toString);
  }

  @Test
  void templateWithoutRouteFails() {
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "      - { channel: email, provider: resend, template: shipping_update.email }\n", "");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("template 'shipping_update.email' is for channel email but shipping_update has no email route"), r::toString);
    assertTrue(r.out().contains("communications.templates.catalog.yaml:"), r::toString);
  }

  @Test
  void infraDisagreementFails() {
    CliRun.edit(bindings, "infra.targets.yaml", "vm_id: 214", "vm_id: 215");
    CliRun.edit(bindings, "infra.targets.yaml", "{ name: imaps, port: 993 }", "{ name: imaps, port: 994 }");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("vm_id 214 vs 215"), r::toString);
    assertTrue(r.out().contains("service imaps 993/tcp not exposed"), r::toString);
  }

  @Test
  void noActiveMailboxFails() {
    CliRun.edit(bindings, "communications.stack.contract.yaml", "      owner: dana@lakesideprint.com\n      active: true", "      owner: dana@lakesideprint.com\n      active: false");
    CliRun.edit(bindings, "communications.stack.contract.yaml", "      owner: sam@lakesideprint.com\n      active: true", "      owner: sam@lakesideprint.com\n      active: false");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("no active row in pilot.mailboxes[]"), r::toString);
  }

  @Test
  void brokenUnrelatedContractDoesNotStopPolicyStatus() {
    CliRun.edit(bindings, "communications.templates.catalog.yaml", "version: 1", "version: one");
    assertEquals(0, run("policy.status").exit());
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit());
    assertTrue(r.out().contains("communications.templates.catalog.yaml:4:10"), r::toString);
  }

  @Test
  void liveModeSaysItCannotProbeInsteadOfPretending() {
    CliRun.edit(bindings, "communications.stack.contract.yaml", "    mode: simulation", "    mode: live-pilot");
    CliRun.Result r = run("stack.status");
    assertTrue(r.exit() != 0, r::toString);
    assertTrue(r.out().contains("graph probe"), r::toString);
  }

  @Test
  void aTemplateUsingAnUndeclaredVariableFailsStackStatus() {
    // The strict renderer would refuse every order_ready.sms send; stack.status says so, not only verify.
    CliRun.edit(bindings, "communications.templates.catalog.yaml", "variables: [customer_name, order_number, pickup_window]",
        "variables: [customer_name, order_number]");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("template 'order_ready.sms' uses {{pickup_window}} in its body but does not declare it"), r::toString);
    assertTrue(r.out().contains("communications.templates.catalog.yaml:29:5"), r::toString);
    CliRun.Result js = run("stack.status", "-o", "json");
    assertEquals(3, js.exit(), js::toString);
    assertTrue(js.out().contains("\"template variables\""), js::out);
  }

  @Test
  void aTemplateUsingADottedNameTheRendererRefusesFailsStackStatus() {
    CliRun.edit(bindings, "communications.templates.catalog.yaml", "is ready for pickup at Lakeside Print, {{pickup_window}}.",
        "is ready for pickup at Lakeside Print, {{pickup_window.day}}.");
    CliRun.Result r = run("stack.status");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("{{pickup_window.day}}"), r::toString);
  }

  @Test
  void aDeclaredButUnusedVariableDoesNotFailStackStatus() {
    // Every send still renders; verify reports it, stack.status need not.
    CliRun.edit(bindings, "communications.templates.catalog.yaml", "variables: [customer_name, order_number, proof_link]",
        "variables: [customer_name, order_number, proof_link, due_date]");
    CliRun.Result r = run("stack.status");
    assertEquals(0, r.exit(), r::toString);
  }
}
