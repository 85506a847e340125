package comms.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.contract.ContractKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Given bindings, commands and runbooks, verification passes or names each problem and where it is. */
class VerificationTest {
  static final Path SAMPLE = Path.of("..", "bindings");
  static final Path RUNBOOKS = Path.of("..", "runbooks");
  /** The read-only commands of the sample registry (the CLI test checks the real command tree). */
  static final List<String> SAMPLE_COMMANDS =
      Bindings.open(SAMPLE).capabilities().capabilities().stream().filter(c -> !c.mutating()).map(c -> c.command()).toList();

  /**
   * The sample registry's mutating commands as the CLI's are: prompting and taking --execute when
   * their approval is manual (the sequence worker, approval: launched, does neither).
   */
  static final List<Verification.ProgramCommand> GATED =
      Bindings.open(SAMPLE).capabilities().capabilities().stream()
          .filter(c -> c.mutating())
          .map(c -> new Verification.ProgramCommand(c.command(), c.approval().equals("manual"), c.approval().equals("manual")))
          .toList();

  static List<Verification.ProgramCommand> readOnly(List<String> names) {
    List<Verification.ProgramCommand> all = new ArrayList<>(names.stream().map(n -> new Verification.ProgramCommand(n, false, false)).toList());
    all.addAll(GATED);
    return all;
  }

  static VerifyCheck check(Verification.Report r, String name) {
    return r.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theSamplesPassEveryCheck() {
    Verification.Report r = Verification.run(Bindings.open(SAMPLE), readOnly(SAMPLE_COMMANDS), Runbooks.read(RUNBOOKS));
    assertTrue(r.passed(), r.checks().toString());
    assertEquals(24, r.checks().size());
  }

  /** A bindings copy whose registry also has a mutating send.execute with manual approval. */
  Bindings withMutatingCapability(Path tmp) throws Exception {
    Path b = Files.createDirectories(tmp.resolve("bindings"));
    Files.createDirectories(b.resolve("schemas"));
    for (ContractKind k : ContractKind.values()) {
      Files.copy(SAMPLE.resolve(k.file()), b.resolve(k.file()));
      Files.copy(SAMPLE.resolve("schemas").resolve(k.schemaFile()), b.resolve("schemas").resolve(k.schemaFile()));
    }
    return Bindings.open(b);
  }

  Runbooks runbooksWith(Path tmp, String extra) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(dir.resolve("pilot.md"), Files.readString(RUNBOOKS.resolve("communications-live-pilot.md")) + extra);
    try (java.util.stream.Stream<Path> others = Files.list(RUNBOOKS)) {
      for (Path r : (Iterable<Path>) others::iterator) {
        if (!r.getFileName().toString().equals("communications-live-pilot.md")) {
          Files.copy(r, dir.resolve(r.getFileName()));
        }
      }
    }
    return Runbooks.read(dir);
  }

  @Test
  void aGatedCommandWithExecuteMatchesManualApproval(@TempDir Path tmp) throws Exception {
    Verification.Report r =
        Verification.run(withMutatingCapability(tmp), readOnly(SAMPLE_COMMANDS), runbooksWith(tmp, "\n```bash\necho yes | comms send.execute --execute\n```\n"));
    assertTrue(r.passed(), r.checks().toString());
    long asking = GATED.stream().filter(Verification.ProgramCommand::prompts).count();
    assertTrue(check(r, "approval modes").summary().contains(asking + " ask for approval"), check(r, "approval modes").summary());
  }

  @Test
  void manualApprovalOnACommandThatNeverPrompts(@TempDir Path tmp) throws Exception {
    List<Verification.ProgramCommand> commands = new ArrayList<>(readOnly(SAMPLE_COMMANDS));
    commands.replaceAll(c -> c.name().equals("send.execute") ? new Verification.ProgramCommand("send.execute", false, false) : c);
    Bindings b = withMutatingCapability(tmp);
    VerifyCheck c = check(Verification.run(b, commands, Runbooks.read(RUNBOOKS)), "approval modes");
    assertTrue(c.failed());
    String line = b.capabilities().byName("communications.send.execute").orElseThrow().source().where();
    assertTrue(c.problems().get(0).where().endsWith(line.substring(line.indexOf(':'))), c.problems().toString());
    assertTrue(c.summary().contains("says approval: manual but `comms send.execute` never asks for approval"), c.summary());
  }

  @Test
  void aPromptingCommandRegisteredWithoutApproval() {
    List<Verification.ProgramCommand> commands = new ArrayList<>(readOnly(SAMPLE_COMMANDS));
    commands.set(4, new Verification.ProgramCommand("policy.status", true, true));
    VerifyCheck c = check(Verification.run(Bindings.open(SAMPLE), commands, Runbooks.read(RUNBOOKS)), "approval modes");
    assertTrue(c.failed());
    assertTrue(c.summary().contains("says approval: none but `comms policy.status` asks for approval"), c.summary());
  }

  @Test
  void executeWithoutTheMarkerAndTheMarkerWithoutExecute() {
    List<Verification.ProgramCommand> commands = new ArrayList<>(readOnly(SAMPLE_COMMANDS));
    commands.set(0, new Verification.ProgramCommand("stack.status", false, true));
    commands.set(1, new Verification.ProgramCommand("mailboxes.list", true, false));
    VerifyCheck c = check(Verification.run(Bindings.open(SAMPLE), commands, Runbooks.read(RUNBOOKS)), "approval modes");
    String all = c.problems().toString();
    assertTrue(all.contains("`comms stack.status` has --execute but is not declared as asking for approval"), all);
    assertTrue(all.contains("`comms mailboxes.list` is declared as asking for approval but has no --execute option"), all);
  }

  @Test
  void registryAndCommandsBothWays() {
    List<String> names = new ArrayList<>(SAMPLE_COMMANDS);
    names.remove("mail.search");
    names.add("mail.purge");
    VerifyCheck c = check(Verification.run(Bindings.open(SAMPLE), readOnly(names), Runbooks.read(RUNBOOKS)), "registry and commands");
    String all = c.problems().toString();
    assertTrue(all.contains("`comms mail.purge` is a command but the registry has no communications.mail.purge"), all);
    assertTrue(all.contains("communications.capabilities.yaml:14:5: communications.mail.search is registered but comms has no command mail.search"), all);
  }

  @Test
  void aContractThatDoesNotLoadSkipsWhatNeedsIt(@TempDir Path tmp) throws Exception {
    Path b = Files.createDirectories(tmp.resolve("b"));
    for (ContractKind k : ContractKind.values()) {
      Files.copy(SAMPLE.resolve(k.file()), b.resolve(k.file()));
    }
    Files.writeString(b.resolve(ContractKind.TEMPLATES.file()), "templates: nope\n");
    Verification.Report r = Verification.run(Bindings.open(b), readOnly(SAMPLE_COMMANDS), Runbooks.read(RUNBOOKS));
    assertFalse(r.passed());
    assertEquals(VerifyCheck.Status.FAIL, check(r, ContractKind.TEMPLATES.file()).status());
    assertEquals(VerifyCheck.Status.SKIP, check(r, "routes").status());
    assertEquals(VerifyCheck.Status.SKIP, check(r, "template variables").status());
    assertEquals(VerifyCheck.Status.PASS, check(r, "infra target").status());
    assertEquals(24, r.checks().size(), "the same checks every run, so CI can compare them");
  }

  @Test
  void templateVariablesComeFromMustache() {
    assertEquals(List.of("name", "order", "items", "tracking"),
        List.copyOf(TemplateVariables.used("Hi {{name}} {{{order}}} {{#items}}{{.}} {{-index}}{{/items}}{{^tracking}}none{{/tracking}} {{tracking.url}}")));
    assertEquals(Set.of(), TemplateVariables.used("plain text, $5"));
    assertEquals(Set.of("a"), TemplateVariables.used("{{=<% %>=}}<% a %>"));
    assertThrows(TemplateVariables.NotMustache.class, () -> TemplateVariables.used("{{#open}} never closed"));
  }

  @Test
  void runbookMentionsNeedWholeNames(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("a.md"), "Run `bin/comms mail.send.test --to x` then comms stack.status.\nops: communications.cap.thing\n");
    Runbooks r = Runbooks.read(tmp);
    assertTrue(r.mentioning("communications.mail.send.test", "mail.send.test").isPresent());
    assertFalse(r.mentioning("communications.mail.send", "mail.send").isPresent());
    assertTrue(r.mentioning("communications.stack.status", "stack.status").isPresent(), "a full stop ends a sentence, not the name");
    assertTrue(r.mentioning("communications.cap.thing", "cap.thing").isPresent());
    assertFalse(r.mentioning("communications.stack", "stack").isPresent());
    assertFalse(Runbooks.read(tmp.resolve("none")).exists());
  }

  @Test
  void junitXmlEscapesAndCounts() {
    List<VerifyCheck> checks =
        List.of(
            VerifyCheck.pass("g", "ok", "fine"),
            VerifyCheck.fail("g", "bad <one>", List.of(new VerifyCheck.Problem("f.yaml:1:2", "'x' & \"y\" \u0001 broke"))),
            VerifyCheck.skip("g", "later", "not checked"));
    String xml = JUnitReport.xml("suite", Instant.parse("2026-11-22T10:00:00.5Z"), JUnitReport.cases(checks));
    assertTrue(xml.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), xml);
    assertTrue(xml.contains("name=\"bad &lt;one&gt;\""), xml);
    assertTrue(xml.contains("f.yaml:1:2: &apos;x&apos; &amp; &quot;y&quot;  broke</failure>"), xml);
    assertTrue(xml.contains("timestamp=\"2026-11-22T10:00\""), xml);
  }
}
