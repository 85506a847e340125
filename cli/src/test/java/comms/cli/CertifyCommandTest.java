package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** comms certify: every capability rehearsed in a scratch outbox, with receipts, in simulation. */
class CertifyCommandTest {
  @TempDir Path tmp;

  /** A project-shaped copy: bindings/, every runbook in runbooks/ and the samples in examples/ side by side. */
  Path project() throws Exception {
    Path b = CliRun.copyBindings(tmp);
    Path root = CliRun.SAMPLE_BINDINGS.getParent();
    for (String dir : new String[] {"runbooks", "examples"}) {
      try (java.util.stream.Stream<Path> all = Files.walk(root.resolve(dir))) {
        for (Path p : (Iterable<Path>) all::iterator) {
          Path t = tmp.resolve(root.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(t);
          } else {
            Files.copy(p, t);
          }
        }
      }
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @Test
  void certifiesTheSamplesAndWritesJunitAndAReceipt() throws Exception {
    Path junit = tmp.resolve("certify.xml");
    // The report's time is the injected clock's (COMMS_NOW), not the wall clock's.
    CliRun.Result r =
        new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", "2026-11-23T17:00:00Z").run("certify", "--junit-file", junit.toString(), "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals(Boolean.TRUE, m.get("certified"));
    List<?> caps = (List<?>) m.get("capabilities");
    assertTrue(caps.size() >= 19, r::toString);
    // The infra dry runs are rehearsed from runbooks/infra-dry-run.md like every other capability.
    for (String infra : List.of("infra.vm.provision", "infra.vm.bootstrap")) {
      assertTrue(caps.stream().anyMatch(c -> ((Map<?, ?>) c).get("capability").equals(infra) && ((Map<?, ?>) c).get("result").equals("pass")), r::toString);
    }
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    Element root = doc.getDocumentElement();
    assertEquals("0", root.getAttribute("failures"));
    assertEquals(String.valueOf(caps.size()), root.getAttribute("tests"));
    assertEquals("2026-11-23T17:00", ((Element) root.getElementsByTagName("testsuite").item(0)).getAttribute("timestamp"));
    // The real outbox holds only certify's own receipt: the rehearsal ran in a scratch outbox.
    assertFalse(Files.exists(tmp.resolve("outbox/communications")));
    List<Path> receipts;
    try (var s = Files.list(tmp.resolve("outbox/receipts"))) {
      receipts = s.toList();
    }
    assertEquals(1, receipts.size());
    assertTrue(Files.readString(receipts.get(0)).contains("certification:"));
  }

  @Test
  void aLiveContractIsCertifiedWithoutSendingAnything() throws Exception {
    Path b = project();
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.edit(b, "communications.stack.contract.yaml", "    mode: simulation", "    mode: live-pilot");
    // Every endpoint points at a closed loopback port: any real request would fail the rehearsal.
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://api.twilio.com", "base_url: http://127.0.0.1:9");
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://api.resend.com", "base_url: http://127.0.0.1:9");
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://graph.microsoft.com/v1.0", "base_url: http://127.0.0.1:9/v1.0");
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).bindings(b).run("certify", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(((String) json(r).get("contract_mode")).contains("delivery live"), r::toString);
  }

  @Test
  void aRunbookCommandThatMisbehavesFailsItsCapability() throws Exception {
    Path b = project();
    Path rb = tmp.resolve("runbooks/communications-live-pilot.md");
    Files.writeString(rb, Files.readString(rb).replace("comms mailboxes.list\n", "comms mailboxes.list   # exit 4\n"));
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).bindings(b).run("certify");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("fail    communications.mailboxes.list"), r::toString);
    assertTrue(r.out().contains("exited 0, the runbook expects 4"), r::toString);
  }

  @Test
  void aCapabilityNoRunbookRunsIsNotCertified() throws Exception {
    Path b = project();
    Path rb = tmp.resolve("runbooks/communications-live-pilot.md");
    Files.writeString(rb, Files.readString(rb).replace("comms suppression.list\n", ""));
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).bindings(b).run("certify");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("no runbook command runs it"), r::toString);
  }
}
