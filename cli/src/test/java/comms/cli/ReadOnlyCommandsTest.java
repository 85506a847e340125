package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only surfaces against the sample bindings, through the real parser. */
class ReadOnlyCommandsTest {
  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @Test
  void stackStatusPassesOnSampleBindings() {
    CliRun.Result r = cli().run("stack.status");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("all 15 checks pass"), r::toString);
    assertTrue(r.out().contains("infra target"), r::toString);
  }

  @Test
  void stackStatusJsonListsEveryCheck() {
    CliRun.Result r = cli().run("stack.status", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals(Boolean.TRUE, m.get("ok"));
    List<?> checks = (List<?>) m.get("checks");
    assertEquals(15, checks.size());
    assertTrue(checks.stream().anyMatch(c -> "template variables".equals(((Map<?, ?>) c).get("name"))), checks::toString);
    assertEquals("", r.err());
  }

  @Test
  void mailboxesListShowsRoster() {
    CliRun.Result r = cli().run("mailboxes.list", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals("simulation", m.get("mode"));
    assertEquals("microsoft-graph", m.get("backend"));
    assertEquals(3, ((List<?>) m.get("mailboxes")).size());
  }

  @Test
  void mailSearchStarFindsEverythingNewestFirstUpToTop() {
    CliRun.Result r = cli().run("mail.search", "--query", "*", "--top", "5", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    List<?> msgs = (List<?>) json(r).get("messages");
    assertEquals(5, msgs.size());
    assertEquals("sim-0005", ((Map<?, ?>) msgs.get(0)).get("id"));
  }

  @Test
  void mailSearchMatchesFieldsIgnoringCase() {
    assertEquals(2, ((List<?>) json(cli().run("mail.search", "--query", "from:MARIA", "-o", "json")).get("messages")).size());
    assertEquals(1, ((List<?>) json(cli().run("mail.search", "--query", "subject:banner", "-o", "json")).get("messages")).size());
    // body text
    assertEquals(1, ((List<?>) json(cli().run("mail.search", "--query", "bank transfer", "-o", "json")).get("messages")).size());
    CliRun.Result one = cli().run("mail.search", "--query", "*", "--mailbox", "proofs@lakesideprint.com", "-o", "json");
    assertEquals(2, ((List<?>) json(one).get("messages")).size());
  }

  @Test
  void mailSearchRefusesUnknownMailbox() {
    CliRun.Result r = cli().run("mail.search", "--query", "*", "--mailbox", "nobody@lakesideprint.com");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("not a pilot mailbox"), r::toString);
  }

  @Test
  void providerStatusNamesVariablesNeverValues() {
    CliRun.Result r = cli().env("COMMS_TWILIO_AUTH_TOKEN", "sentinel-secret-123").run("provider.status", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("COMMS_TWILIO_AUTH_TOKEN"));
    assertFalse(r.out().contains("sentinel-secret-123"));
    assertFalse(r.err().contains("sentinel-secret-123"));
    List<?> providers = (List<?>) json(r).get("providers");
    assertEquals(4, providers.size());
    assertTrue(r.out().contains("COMMS_GMAIL_SERVICE_ACCOUNT_KEY_FILE"), "the gmail provider's readiness is by variable name");
  }

  @Test
  void policyStatusShowsRules() {
    CliRun.Result r = cli().run("policy.status");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("Reply STOP to opt out."));
    assertTrue(r.out().contains("21:00-08:00"));
    Map<String, Object> m = json(cli().run("policy.status", "-o", "json"));
    assertEquals(List.of("opted-in"), ((Map<?, ?>) ((Map<?, ?>) m.get("consent")).get("sms")).get("allowed_states"));
  }

  @Test
  void templatesListFiltersByChannel() {
    CliRun.Result r = cli().run("templates.list", "--channel", "sms", "-o", "json");
    assertEquals(0, r.exit(), r::toString);
    List<?> ts = (List<?>) json(r).get("templates");
    assertEquals(5, ts.size()); // four transactional, one for the sample welcome sequence
    assertTrue(ts.stream().allMatch(t -> "sms".equals(((Map<?, ?>) t).get("channel"))));
    assertEquals(2, cli().run("templates.list", "--channel", "fax").exit());
  }

  @Test
  void yamlOutputIsOneDocument() {
    CliRun.Result r = cli().run("policy.status", "--output", "yaml");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("consent:"), r::toString);
  }

  @Test
  void capRunRunsTheSameCommand() {
    CliRun.Result direct = cli().run("templates.list", "-o", "json");
    CliRun.Result viaCap = cli().run("cap", "run", "communications.templates.list", "-o", "json");
    CliRun.Result globalFirst = cli().run("-o", "json", "cap", "run", "communications.templates.list");
    assertEquals(0, viaCap.exit(), viaCap::toString);
    assertEquals(direct.out(), viaCap.out());
    assertEquals(direct.out(), globalFirst.out());
  }

  @Test
  void capRunRefusesUnknownCapability() {
    CliRun.Result r = cli().run("cap", "run", "communications.nope");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("cap list"), r::toString);
  }

  @Test
  void readOnlyCommandsWriteNothing() throws Exception {
    cli().run("stack.status");
    cli().run("policy.status");
    assertFalse(Files.exists(tmp.resolve("outbox").resolve("communications")));
  }

  @Test
  void unknownOptionIsUsageErrorOnStderr() {
    CliRun.Result r = cli().run("policy.status", "--bogus");
    assertEquals(2, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().contains("--bogus"), r::toString);
  }

  @Test
  void helpListsExitCodesAndVersionWorks() {
    CliRun.Result help = cli().run("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("Exit codes:"), help::toString);
    assertTrue(help.out().contains("6   provider or live probe failure") || help.out().contains("provider or live probe failure"));
    assertEquals(0, cli().run("stack.status", "--help").exit());
    CliRun.Result v = cli().run("--version");
    assertTrue(v.out().startsWith("comms "), v::toString);
  }

  @Test
  void completionScriptForBash() {
    CliRun.Result r = cli().run("completion", "bash");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("stack.status"));
  }

  @Test
  void bindingsFolderMissingIsContractError() {
    CliRun.Result r = cli().bindings(tmp.resolve("nowhere")).run("policy.status");
    assertEquals(3, r.exit());
    assertTrue(r.err().contains("bindings folder not found"), r::toString);
  }
}
