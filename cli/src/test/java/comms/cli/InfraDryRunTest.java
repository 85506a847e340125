package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.receipt.Receipts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infra.vm.provision and infra.vm.bootstrap through the real command line: dry runs with receipts, refusals without. */
class InfraDryRunTest {
  static final String[] FLAGS = {"--target", "communications-stack", "--profile", "spine-ready-v1", "--vm-id", "214"};

  @TempDir Path tmp;

  static String[] args(String first, String[] middle, String... rest) {
    List<String> a = new java.util.ArrayList<>(List.of(first.split(" ")));
    a.addAll(List.of(middle));
    a.addAll(List.of(rest));
    return a.toArray(String[]::new);
  }

  Path outbox() {
    return tmp.resolve("outbox");
  }

  @Test
  void theSpineCommandLinesPlanAndLeaveReceipts() {
    CliRun cli = new CliRun(outbox());
    CliRun.Result p = cli.run(args("cap run infra.vm.provision", FLAGS, "--dry-run"));
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().contains("infra.vm.provision dry run: communications-stack (VM 214"), p::toString);
    assertTrue(p.out().contains("create-vm") && p.out().contains("configure-firewall"), p::toString);
    CliRun.Result b = cli.run(args("cap run infra.vm.bootstrap", FLAGS, "--dry-run"));
    assertEquals(0, b.exit(), b::toString);
    assertTrue(b.out().contains("add-dns-record") && b.out().contains("comms2026._domainkey.lakesideprint.com"), b::toString);

    Receipts receipts = new Receipts(outbox());
    List<String> keys = receipts.list(10);
    assertEquals(2, keys.size());
    Map<String, Object> boot = receipts.read(keys.get(0));
    assertEquals("infra.vm.bootstrap", boot.get("capability"));
    assertEquals("dry-run", boot.get("mode"));
    assertEquals(0, boot.get("exit_code"));
    Map<?, ?> plan = (Map<?, ?>) boot.get("plan");
    assertEquals("communications-stack", plan.get("target"));
    assertEquals(214, plan.get("vm_id"));
    assertTrue(((List<?>) plan.get("steps")).size() > 10);
    assertEquals("infra.vm.provision", receipts.read(keys.get(1)).get("capability"));

    CliRun.Result listed = cli.run("receipts.list", "--limit", "3");
    assertTrue(listed.out().contains(keys.get(0)) && listed.out().contains(keys.get(1)) && listed.out().contains("infra.vm.provision"), listed::toString);
  }

  @Test
  void thePlanIsJsonAndYamlToo() {
    CliRun.Result j = new CliRun(outbox()).run(args("infra.vm.bootstrap", FLAGS, "--dry-run", "--output", "json"));
    assertEquals(0, j.exit(), j::toString);
    Map<?, ?> tree = (Map<?, ?>) comms.core.json.Json.parse(j.out());
    assertEquals(Boolean.TRUE, tree.get("dry_run"));
    List<?> steps = (List<?>) tree.get("steps");
    Map<?, ?> first = (Map<?, ?>) steps.get(0);
    assertEquals(1, ((Number) first.get("order")).intValue());
    assertTrue(first.keySet().containsAll(List.of("action", "change", "why", "source", "changes")), first::toString);
    CliRun.Result y = new CliRun(outbox()).run(args("infra.vm.provision", FLAGS, "--dry-run", "-o", "yaml"));
    assertEquals(0, y.exit(), y::toString);
    assertTrue(y.out().contains("action: create-vm"), y::toString);
  }

  @Test
  void withoutDryRunItIsRefusedAndLeavesNothing() {
    for (String cmd : List.of("infra.vm.provision", "infra.vm.bootstrap", "cap run infra.vm.provision")) {
      CliRun.Result r = new CliRun(outbox()).run(args(cmd, FLAGS));
      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.err().contains("production provisioning is out of scope in this version"), r::toString);
      CliRun.Result x = new CliRun(outbox()).run(args(cmd, FLAGS, "--dry-run", "--execute"));
      assertEquals(2, x.exit(), x::toString);
    }
    assertEquals(List.of(), new Receipts(outbox()).list(10));
  }

  @Test
  void aBrokenTargetFailsWithFileAndLineAndNoReceipt() {
    Path bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "infra.targets.yaml", "      - { name: imaps, port: 993 }\n", "      - { name: imaps, port: 143 }\n");
    CliRun.Result r = new CliRun(outbox()).bindings(bindings).run(args("infra.vm.provision", FLAGS, "--dry-run"));
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().matches("(?s).*infra\\.targets\\.yaml:\\d+:\\d+.*service imaps needs port 143/tcp, which profile spine-ready-v1's firewall closes.*"), r::toString);
    assertEquals(List.of(), new Receipts(outbox()).list(10));
  }

  @Test
  void aBrokenProfileFailsWithFileAndLine() {
    Path bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "infra.profiles.yaml", "    disk_gb: 80\n", "    disk_gb: -80\n");
    CliRun.Result r = new CliRun(outbox()).bindings(bindings).run(args("infra.vm.bootstrap", FLAGS, "--dry-run"));
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().matches("(?s).*infra\\.profiles\\.yaml:10:\\d+.*"), r::toString);
  }

  @Test
  void aWrongVmIdFailsAtTheInventoryLine() {
    CliRun.Result r = new CliRun(outbox()).run("infra.vm.provision", "--target", "communications-stack", "--profile", "spine-ready-v1", "--vm-id", "215", "--dry-run");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("infra.targets.yaml:8:") && r.err().contains("not --vm-id 215"), r::toString);
  }

  @Test
  void aMissingDnsRecordIsAStep() throws Exception {
    Path bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "zones/lakesideprint.com.zone", "@               IN MX    10 mail.lakesideprint.com.\n", "");
    CliRun.Result r = new CliRun(outbox()).bindings(bindings).run(args("infra.vm.bootstrap", FLAGS, "--dry-run", "-o", "json"));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("\"action\": \"add-dns-record\"") || r.out().contains("\"action\":\"add-dns-record\""), r::toString);
    assertTrue(r.out().contains("MX: lakesideprint.com MX 10 mail.lakesideprint.com."), r::toString);
    assertFalse(r.out().contains("MX is in the zone"), r::toString);
  }
}
