package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** `comms verify` passes on the samples, and breaking any one cross-reference fails it naming file and line. */
class VerifyCommandTest {
  static final Path SAMPLE_RUNBOOKS = CliRun.SAMPLE_BINDINGS.resolveSibling("runbooks");
  static final String DELIVERY = "communications.delivery.contract.yaml";
  static final String TEMPLATES = "communications.templates.catalog.yaml";
  static final String CAPABILITIES = "communications.capabilities.yaml";
  static final String POLICY = "communications.policy.contract.yaml";
  static final String RUNBOOK = "communications-live-pilot.md";

  @TempDir Path tmp;
  Path bindings;
  Path runbooks;

  @BeforeEach
  void copy() {
    bindings = CliRun.copyBindings(tmp);
    runbooks = copyRunbooks(tmp);
  }

  CliRun.Result verify(String... more) {
    String[] args = Stream.concat(Stream.of("verify"), Stream.of(more)).toArray(String[]::new);
    return new CliRun(tmp.resolve("outbox")).bindings(bindings).run(args);
  }

  /** Fails unless verify exits 3 and its report names this file:line and says this. */
  static void assertFails(CliRun.Result r, String fileAndLine, String problem) {
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains(fileAndLine), () -> "expected " + fileAndLine + " in\n" + r);
    assertTrue(r.out().contains(problem), () -> "expected " + problem + " in\n" + r);
  }

  @Test
  void passesOnTheSampleBindings() {
    CliRun.Result r = new CliRun(tmp.resolve("outbox")).run("verify");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("all 24 checks pass"), r::toString);
    assertEquals("", r.err());
    assertFalse(Files.exists(tmp.resolve("outbox").resolve("communications")), "verify is read-only: only its receipt");
  }

  @Test
  void jsonListsEveryCheckWithItsResult() {
    CliRun.Result r = verify("-o", "json");
    assertEquals(0, r.exit(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
    assertEquals(Boolean.TRUE, m.get("ok"));
    List<?> checks = (List<?>) m.get("checks");
    assertEquals(24, checks.size());
    assertTrue(checks.stream().allMatch(c -> "pass".equals(((Map<?, ?>) c).get("result"))));
  }

  @Test
  void aRouteToAnUnknownProvider() {
    CliRun.edit(bindings, DELIVERY, "{ channel: sms, provider: twilio, template: order_ready.sms }",
        "{ channel: sms, provider: twillio, template: order_ready.sms }");
    assertFails(verify(), DELIVERY + ":15:9", "order_ready/sms names provider 'twillio', which communications.providers.contract.yaml does not define");
  }

  @Test
  void aRouteToAnUnknownTemplate() {
    CliRun.edit(bindings, DELIVERY, "template: order_ready.sms }", "template: order_ready.text }");
    CliRun.Result r = verify();
    assertFails(r, DELIVERY + ":15:9", "names template 'order_ready.text', which the templates catalog does not have");
    // and the other way round: the template nobody routes to
    assertFails(r, TEMPLATES + ":29:5", "template 'order_ready.sms' is not used by any route");
  }

  @Test
  void aTemplateOfAnUndeclaredMessageType() {
    CliRun.edit(bindings, TEMPLATES, "    message_type: proof_ready\n    channel: sms", "    message_type: proof_redy\n    channel: sms");
    assertFails(verify(), TEMPLATES + ":45:5", "template 'proof_ready.sms' is for message type 'proof_redy', which the delivery contract does not declare");
  }

  @Test
  void anUndeclaredTemplateVariable() {
    CliRun.edit(bindings, TEMPLATES, "variables: [customer_name, order_number, pickup_window]", "variables: [customer_name, order_number]");
    assertFails(verify(), TEMPLATES + ":29:5", "template 'order_ready.sms' uses {{pickup_window}} in its body but does not declare it");
  }

  @Test
  void aDottedNameTheStrictRendererRefuses() {
    // {{pickup_window.day}} reads the declared pickup_window, but the strict renderer refuses it at every send.
    CliRun.edit(bindings, TEMPLATES, "is ready for pickup at Lakeside Print, {{pickup_window}}.", "is ready for pickup at Lakeside Print, {{pickup_window.day}}.");
    assertFails(verify(), TEMPLATES + ":29:5", "{{pickup_window.day}}");
  }

  @Test
  void anUnusedDeclaredVariable() {
    CliRun.edit(bindings, TEMPLATES, "variables: [customer_name, order_number, proof_link]", "variables: [customer_name, order_number, proof_link, due_date]");
    assertFails(verify(), TEMPLATES + ":45:5", "template 'proof_ready.sms' declares variable 'due_date' but never uses it");
  }

  @Test
  void aCapabilityInNoRunbook() throws IOException {
    Path runbook = runbooks.resolve(RUNBOOK);
    Files.writeString(runbook, Files.readString(runbook).replace("comms policy.status", "comms policy.show"));
    assertFails(verify(), CAPABILITIES + ":22:5", "communications.policy.status appears in no runbook");
  }

  @Test
  void aRunbookMentionOfALongerCommandDoesNotCount() throws IOException {
    Path runbook = runbooks.resolve(RUNBOOK);
    Files.writeString(runbook, Files.readString(runbook).replace("comms templates.list", "comms templates.list.all"));
    assertFails(verify(), CAPABILITIES + ":26:5", "communications.templates.list appears in no runbook");
  }

  @Test
  void aRegistryEntryWithoutACommand() throws IOException {
    Path f = bindings.resolve(CAPABILITIES);
    String before = Files.readString(f);
    Files.writeString(f, before
        + "  - name: communications.send.everything\n    safety: mutating\n    approval: manual\n    description: Not a command.\n");
    int line = (int) before.lines().count() + 1;
    assertFails(verify(), CAPABILITIES + ":" + line + ":5", "communications.send.everything is registered but comms has no command send.everything");
  }

  @Test
  void aCommandWithoutARegistryEntry() throws IOException {
    Path f = bindings.resolve(CAPABILITIES);
    String s = Files.readString(f);
    Files.writeString(f, s.substring(0, s.indexOf("  - name: communications.verify")));
    assertFails(verify(), CAPABILITIES + ":4:1", "`comms verify` is a command but the registry has no communications.verify");
  }

  @Test
  void anApprovalModeTheCommandDoesNotHave() {
    CliRun.edit(bindings, CAPABILITIES, "  - name: communications.policy.status\n    safety: read-only\n    approval: none",
        "  - name: communications.policy.status\n    safety: read-only\n    approval: manual");
    assertFails(verify(), CAPABILITIES + ":22:5", "says approval: manual but `comms policy.status` never asks for approval");
  }

  @Test
  void aSchemaViolationListsEveryOneWithFileLineAndPath() {
    CliRun.edit(bindings, POLICY, "max_segments: 3", "max_segments: 30");
    CliRun.edit(bindings, POLICY, "default_zone: America/Chicago", "default_zone: America/Chicago\n  zone: x");
    CliRun.Result r = verify();
    assertFails(r, POLICY + ":16:3 (quiet_hours.zone)", "unknown key 'zone' in quiet_hours; known keys here: start, end, default_zone, channels");
    assertFails(r, POLICY + ":22:17 (sms.max_segments)", "'max_segments' is 30; it must be between 1 and 10");
    assertTrue(r.out().contains("not checked: " + POLICY + " does not load"), r::toString);
  }

  @Test
  void aRoutedChannelWithoutConsentRule() {
    CliRun.edit(bindings, POLICY, "  email:\n    allowed_states: [opted-in, implied]\n    note: Transactional email to a customer with an open order is implied consent.\n", "");
    assertFails(verify(), DELIVERY + ":11:9", "payment_needed/email sends on email but communications.policy.contract.yaml has no consent rule for it");
  }

  @Test
  void aContractNamingTheWrongSchemaForEditors() {
    CliRun.edit(bindings, DELIVERY, "$schema=schemas/communications.delivery.schema.json", "$schema=schemas/delivery.json");
    assertFails(verify(), DELIVERY + ":1:", "names schema schemas/delivery.json but comms checks this contract against schemas/communications.delivery.schema.json");
  }

  @Test
  void aBindingsFolderWithoutSchemasIsCheckedWithTheBuiltInOnes() throws IOException {
    try (Stream<Path> s = Files.list(bindings.resolve("schemas"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(bindings.resolve("schemas"));
    CliRun.Result r = verify();
    assertTrue(r.out().contains("matches built-in schemas/communications.stack.schema.json and loads"), r::toString);
    // the editors' references now point nowhere, which is the one failure
    assertFails(r, "communications.stack.contract.yaml:1:", "which this bindings folder does not have");
    assertTrue(r.out().contains("1 of 24 checks fail"), r::toString);
  }

  @Test
  void runbooksFolderMissingOrElsewhere() throws IOException {
    Path elsewhere = tmp.resolve("docs");
    Files.move(runbooks, elsewhere);
    assertFails(verify(), "runbooks", "runbooks folder not found; pass --runbooks DIR");
    assertEquals(0, verify("--runbooks", elsewhere.toString()).exit());
  }

  @Test
  void junitReportIsWellFormedAndCountsFailures() throws Exception {
    CliRun.edit(bindings, DELIVERY, "provider: twilio, template: order_ready.sms", "provider: twillio, template: order_ready.sms");
    CliRun.edit(bindings, TEMPLATES, "variables: [customer_name, order_number, pickup_window]", "variables: [customer_name, order_number]");
    CliRun.Result r = verify("--format", "junit");
    assertEquals(3, r.exit(), r::toString);
    Document doc = xml(r.out());
    NodeList cases = doc.getElementsByTagName("testcase");
    NodeList failures = doc.getElementsByTagName("failure");
    assertEquals(24, cases.getLength());
    assertEquals(2, failures.getLength());
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("24", suite.getAttribute("tests"));
    assertEquals("2", suite.getAttribute("failures"));
    String failureText = failures.item(0).getTextContent() + failures.item(1).getTextContent();
    assertTrue(failureText.contains(DELIVERY + ":15:9"), failureText);
    assertTrue(failureText.contains(TEMPLATES + ":29:5"), failureText);
    Element routes = (Element) failures.item(0).getParentNode();
    assertEquals("comms.verify.references", routes.getAttribute("classname"));
    assertEquals("routes", routes.getAttribute("name"));
  }

  @Test
  void junitFileIsWrittenBesideTheNormalOutput() throws Exception {
    Path report = tmp.resolve("reports").resolve("verify.xml");
    CliRun.Result r = verify("--junit-file", report.toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("all 24 checks pass"), r::toString);
    Document doc = xml(Files.readString(report));
    assertEquals(24, doc.getElementsByTagName("testcase").getLength());
    assertEquals(0, doc.getElementsByTagName("failure").getLength());
  }

  @Test
  void capRunReachesVerify() {
    assertEquals(0, new CliRun(tmp.resolve("outbox")).bindings(bindings).run("cap", "run", "communications.verify").exit());
  }

  @Test
  void helpTeachesTheFormatAndTheChecks() {
    CliRun.Result r = verify("--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("--format"), r::toString);
    assertTrue(r.out().contains("--junit-file"), r::toString);
    assertTrue(r.out().contains("--runbooks"), r::toString);
    assertTrue(r.out().contains("runbooks: every capability appears in a runbook"), r::toString);
  }

  static Document xml(String text) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  static Path copyRunbooks(Path into) {
    try {
      Path dest = Files.createDirectories(into.resolve("runbooks"));
      try (Stream<Path> s = Files.list(SAMPLE_RUNBOOKS)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.copy(p, dest.resolve(p.getFileName().toString()));
        }
      }
      return dest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
