package comms.core.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraPlannerTest {
  static final InfraPlanner.Request REQUEST = new InfraPlanner.Request("communications-stack", "spine-ready-v1", 214);

  @TempDir Path tmp;

  static List<String> actions(InfraPlan p) {
    return p.steps().stream().map(PlanStep::action).toList();
  }

  static PlanStep step(InfraPlan p, String action, String containing) {
    return p.steps().stream()
        .filter(s -> s.action().equals(action) && s.change().contains(containing))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + action + " step with '" + containing + "' in " + p.steps()));
  }

  @Test
  void provisionPlansTheVmFromItsProfileInOrder() {
    InfraPlan p = InfraPlanner.provision(Bindings.open(InfraFixtures.SAMPLE), REQUEST);
    assertEquals(List.of("create-vm", "set-hostname", "install-packages", "create-user", "create-user", "configure-firewall",
        "enable-service", "enable-service", "enable-service", "enable-service"), actions(p));
    for (int i = 0; i < p.steps().size(); i++) {
      assertEquals(i + 1, p.steps().get(i).order());
      assertTrue(p.steps().get(i).changes());
      assertFalse(p.steps().get(i).why().isBlank());
    }
    assertTrue(step(p, "create-vm", "VM 214").change().contains("4 vCPU, 8192 MiB memory, 80 GiB disk, image debian-12"));
    assertTrue(step(p, "create-vm", "VM 214").source().startsWith("infra.profiles.yaml:") || step(p, "create-vm", "VM 214").source().contains("infra.profiles.yaml:"));
    String fw = step(p, "configure-firewall", "inbound deny").change();
    for (String port : List.of("22/tcp ssh from 10.20.0.0/16", "25/tcp smtp", "465/tcp submissions", "587/tcp smtp-submission", "993/tcp imaps", "443/tcp https")) {
      assertTrue(fw.contains(port), fw);
    }
    assertEquals("comms-01.lakesideprint.internal", step(p, "set-hostname", "comms-01").change());
  }

  @Test
  void bootstrapPlansTheMailServerAndShowsTheMissingDkimRecord() {
    InfraPlan p = InfraPlanner.bootstrap(Bindings.open(InfraFixtures.SAMPLE), REQUEST);
    assertTrue(p.zone().endsWith("zones/lakesideprint.com.zone"), p.zone());
    for (String listener : List.of("smtp on 25/tcp", "submissions on 465/tcp", "submission on 587/tcp", "imaps on 993/tcp", "https on 443/tcp")) {
      step(p, "configure-listener", listener);
    }
    step(p, "generate-dkim-key", "selector comms2026");
    PlanStep dkim = step(p, "add-dns-record", "DKIM: comms2026._domainkey.lakesideprint.com TXT");
    assertTrue(dkim.changes());
    for (String kind : List.of("MX", "SPF", "DMARC", "MTA-STS", "TLS-RPT")) {
      PlanStep keep = step(p, "keep-dns-record", kind + " is in the zone");
      assertFalse(keep.changes());
      assertTrue(keep.source().matches(".*lakesideprint\\.com\\.zone:\\d+:1"), keep.source());
    }
    // the MX record's step cites the zone line it sits on
    PlanStep mx = step(p, "keep-dns-record", "MX is in the zone");
    int line = InfraFixtures.lineOf(InfraFixtures.SAMPLE, "zones/lakesideprint.com.zone", "IN MX");
    assertTrue(mx.source().endsWith(".zone:" + line + ":1"), mx.source());
  }

  @Test
  void aWrongDmarcPolicyAndAMissingRecordAreStepsNotFailures() {
    Path b = InfraFixtures.copy(tmp);
    String zone = "zones/lakesideprint.com.zone";
    InfraFixtures.edit(b, zone, "p=none;", "p=reject;");
    InfraFixtures.edit(b, zone, "_smtp._tls      IN TXT   \"v=TLSRPTv1; rua=mailto:tls-reports@lakesideprint.com\"\n", "");
    InfraPlan p = InfraPlanner.bootstrap(Bindings.open(b), REQUEST);
    PlanStep dmarc = step(p, "change-dns-record", "DMARC: _dmarc.lakesideprint.com TXT \"v=DMARC1; p=none;");
    assertTrue(dmarc.why().contains("p=reject"), dmarc.why());
    assertTrue(dmarc.source().endsWith(":" + InfraFixtures.lineOf(b, zone, "_dmarc") + ":1"), dmarc.source());
    step(p, "add-dns-record", "TLS-RPT: _smtp._tls.lakesideprint.com TXT \"v=TLSRPTv1; rua=mailto:tls-reports@lakesideprint.com\"");
  }

  @Test
  void withoutAZoneFileEveryRecordIsToBePublished() throws Exception {
    Path b = InfraFixtures.copy(tmp);
    java.nio.file.Files.delete(b.resolve("zones/lakesideprint.com.zone"));
    InfraPlan p = InfraPlanner.bootstrap(Bindings.open(b), REQUEST);
    assertEquals(null, p.zone());
    assertEquals(8, p.steps().stream().filter(s -> s.action().equals("publish-dns-record")).count());
  }

  @Test
  void aTargetWithoutMailBootstrapsNoMailServer() {
    InfraPlan p = InfraPlanner.bootstrap(Bindings.open(InfraFixtures.SAMPLE), new InfraPlanner.Request("print-queue", "spine-ready-v1", 207));
    assertEquals(List.of("configure-mail-server"), actions(p));
    assertFalse(p.steps().get(0).changes());
  }

  @Test
  void aWrongVmIdFailsAtTheInventoryLine() {
    ContractException e = assertThrows(ContractException.class,
        () -> InfraPlanner.provision(Bindings.open(InfraFixtures.SAMPLE), new InfraPlanner.Request("communications-stack", "spine-ready-v1", 215)));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    int line = InfraFixtures.lineOf(InfraFixtures.SAMPLE, "infra.targets.yaml", "vm_id: 214");
    assertTrue(e.getMessage().contains("infra.targets.yaml:" + line + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("VM 214, not --vm-id 215"), e.getMessage());
  }

  @Test
  void aPortTheProfilesFirewallClosesFailsAtTheServiceLine() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.profiles.yaml", "        - { port: 993 }\n", "");
    ContractException e = assertThrows(ContractException.class, () -> InfraPlanner.bootstrap(Bindings.open(b), REQUEST));
    int line = InfraFixtures.lineOf(b, "infra.targets.yaml", "{ name: imaps, port: 993 }");
    assertTrue(e.getMessage().contains("infra.targets.yaml:" + line + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("993/tcp, which profile spine-ready-v1's firewall closes (") && e.getMessage().contains("infra.profiles.yaml:"), e.getMessage());
  }

  @Test
  void aListenerWhoseServiceHasNoPortFailsAtTheListenerLine() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.targets.yaml", "      - { name: submissions, port: 465 }\n", "");
    ContractException e = assertThrows(ContractException.class, () -> InfraPlanner.provision(Bindings.open(b), REQUEST));
    int line = InfraFixtures.lineOf(b, "infra.targets.yaml", "{ protocol: submissions, service: submissions }");
    assertTrue(e.getMessage().contains("infra.targets.yaml:" + line + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("'submissions', which has no port"), e.getMessage());
  }

  @Test
  void everyDisagreementIsListedInOneRefusal() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.profiles.yaml", "        - { port: 25 }\n", "");
    ContractException e = assertThrows(ContractException.class,
        () -> InfraPlanner.provision(Bindings.open(b), new InfraPlanner.Request("communications-stack", "spine-ready-v1", 999)));
    assertTrue(e.getMessage().contains("not --vm-id 999") && e.getMessage().contains("; also ") && e.getMessage().contains("port 25/tcp"), e.getMessage());
  }

  @Test
  void aProfileThatIsNotTheTargetsFailsAtTheTargetsProfileLine() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.profiles.yaml", "  - name: spine-ready-v1\n", "  - name: spine-ready-v2\n");
    ContractException e = assertThrows(ContractException.class,
        () -> InfraPlanner.provision(Bindings.open(b), new InfraPlanner.Request("communications-stack", "spine-ready-v2", 214)));
    assertTrue(e.getMessage().contains("uses profile spine-ready-v1, not --profile spine-ready-v2"), e.getMessage());
  }

  @Test
  void unknownTargetOrProfileIsBadInput() {
    Bindings b = Bindings.open(InfraFixtures.SAMPLE);
    CommsException t = assertThrows(CommsException.class, () -> InfraPlanner.provision(b, new InfraPlanner.Request("nope", "spine-ready-v1", 214)));
    assertEquals(ExitCode.USAGE, t.exitCode());
    assertTrue(t.getMessage().contains("targets there: communications-stack, print-queue"), t.getMessage());
    CommsException p = assertThrows(CommsException.class, () -> InfraPlanner.provision(b, new InfraPlanner.Request("communications-stack", "nope", 214)));
    assertEquals(ExitCode.USAGE, p.exitCode());
  }

  @Test
  void aBrokenProfileIsRefusedByItsSchemaWithFileAndLine() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.profiles.yaml", "    memory_mb: 8192\n", "    memory_mb: lots\n");
    ContractException e = assertThrows(ContractException.class, () -> InfraPlanner.provision(Bindings.open(b), REQUEST));
    int line = InfraFixtures.lineOf(b, "infra.profiles.yaml", "memory_mb: lots");
    assertTrue(e.getMessage().contains("infra.profiles.yaml:" + line + ":"), e.getMessage());
  }

  @Test
  void aBrokenTargetIsRefusedByItsSchemaWithFileAndLine() {
    Path b = InfraFixtures.copy(tmp);
    InfraFixtures.edit(b, "infra.targets.yaml", "      dkim_selector: comms2026\n", "      dkim_selector: \"comms 2026\"\n");
    ContractException e = assertThrows(ContractException.class, () -> InfraPlanner.bootstrap(Bindings.open(b), REQUEST));
    int line = InfraFixtures.lineOf(b, "infra.targets.yaml", "dkim_selector");
    assertTrue(e.getMessage().contains("infra.targets.yaml:" + line + ":"), e.getMessage());
  }
}
