package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet commands through the real parser: JSON shapes, dry runs that write nothing, refusals, a stage sent from a snippet. */
class SnippetCommandsTest {
  static final Path EXAMPLES = CliRun.SAMPLE_BINDINGS.resolveSibling("examples");
  static final String MONDAY = "2026-12-07T15:00:00Z";
  static final String SAM = "sam@lakesideprint.com";

  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox")).env("COMMS_NOW", MONDAY);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  CliRun.Result yes(String... args) {
    return cli().stdin("yes\n").run(args);
  }

  String[] renewal(String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("snippet.create", "--name", "Renewal", "--channel", "email", "--subject", "Your renewal, {{first_name}}",
        "--file", EXAMPLES.resolve("snippets/renewal.txt").toString(), "--variables", "first_name,plan_name"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  long files() throws Exception {
    Path dir = tmp.resolve("outbox");
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void createEditAndShowAnswerTheStableFields() {
    CliRun.Result dry = cli().run(renewal("--shared", "--output", "json"));
    assertEquals(0, dry.exit(), dry::toString);
    assertEquals(false, json(dry).get("stored"));
    assertTrue(dry.err().contains("dry run"), dry.err());

    CliRun.Result made = yes(renewal("--shared", "--execute", "--output", "json"));
    assertEquals(0, made.exit(), made::toString);
    Map<String, Object> v1 = json(made);
    assertEquals("renewal", v1.get("id"));
    assertEquals(1L, v1.get("version"));
    assertTrue(v1.containsKey("parent_id") && v1.get("parent_id") == null);
    assertEquals("Renewal", v1.get("name"));
    assertEquals("email", v1.get("channel"));
    assertEquals(true, v1.get("shared"));
    assertEquals(List.of("first_name", "plan_name"), v1.get("variables"));
    assertTrue(v1.containsKey("cosigned_by") && v1.get("cosigned_by") == null);

    CliRun.Result edited = yes("snippet.edit", "renewal", "--subject", "Renewing soon, {{first_name}}", "--execute", "--output", "json");
    assertEquals(0, edited.exit(), edited::toString);
    assertEquals(2L, json(edited).get("version"));
    assertEquals("renewal@1", json(edited).get("parent_id"));

    Map<String, Object> show = json(cli().run("snippet.show", "renewal@1", "--output", "json"));
    assertEquals("Your renewal, {{first_name}}", show.get("subject"), "version 1 is as it was written");
    assertEquals(2, ((List<?>) show.get("history")).size());
  }

  @Test
  void anUndeclaredVariableIsExit3WithItsLineAndWritesNothing() throws Exception {
    Path body = Files.writeString(tmp.resolve("b.txt"), "Hello {{first_name}},\nyour {{plan}} renews.\n");
    CliRun.Result r = yes("snippet.create", "--name", "X", "--channel", "sms", "--file", body.toString(), "--variables", "first_name", "--execute");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains(body + ":2:6") && r.err().contains("{{plan}}"), r.err());
    assertEquals(0, files(), "a refused snippet leaves no store and no receipt");
  }

  @Test
  void selfCoSignIsExit4AndAuditedAndAnotherOperatorsCoSignCounts() {
    assertEquals(0, yes(renewal("--shared", "--execute")).exit());
    CliRun.Result self = yes("snippet.cosign", "renewal@1", "--execute");
    assertEquals(4, self.exit(), self::toString);
    assertTrue(self.err().contains("cannot co-sign"), self.err());
    CliRun.Result other = yes("snippet.cosign", "renewal@1", "--as", SAM, "--execute", "--output", "json");
    assertEquals(0, other.exit(), other::toString);
    assertEquals(SAM, json(other).get("cosigned_by"));
    CliRun.Result audit = cli().run("audit", "--output", "json", "--limit", "10");
    assertTrue(audit.out().contains("self_cosign"), audit.out());
    assertFalse(audit.out().contains("Lakeside Print renews"), "no body text in the audit log");
  }

  @Test
  void aPrivateSnippetIsInvisibleToAnotherOperator() {
    assertEquals(0, yes(renewal("--execute", "--as", SAM)).exit());
    CliRun.Result show = cli().run("snippet.show", "renewal", "--as", "lee@lakesideprint.com");
    assertEquals(3, show.exit(), "lee is not an operator yet: " + show);
    assertEquals(0, yes("operators.add", "--email", "lee@lakesideprint.com", "--name", "Lee Chen", "--execute").exit());
    CliRun.Result lee = cli().run("snippet.show", "renewal", "--as", "lee@lakesideprint.com");
    assertEquals(2, lee.exit(), lee::toString);
    Map<String, Object> list = json(cli().run("snippet.search", "renewal", "--as", "lee@lakesideprint.com", "--output", "json"));
    assertEquals(List.of(), list.get("hits"));
    Map<String, Object> admin = json(cli().run("snippet.search", "renewal", "--output", "json"));
    assertEquals(1, ((List<?>) admin.get("hits")).size(), "an admin reads every snippet");
  }

  @Test
  void aStageSentFromASnippetUnderCommsNow() {
    assertEquals(0, yes(renewal("--shared", "--execute")).exit());
    String seq = EXAMPLES.resolve("sequences/renewal.sequence.yaml").toString();
    CliRun.Result unsigned = yes("sequence.create", "--file", seq, "--execute");
    assertEquals(3, unsigned.exit(), unsigned::toString);
    assertTrue(unsigned.err().contains("renewal.sequence.yaml:11:") && unsigned.err().contains("not co-signed"), unsigned.err());
    assertEquals(0, yes("snippet.cosign", "renewal@1", "--as", SAM, "--execute").exit());
    CliRun.Result created = yes("sequence.create", "--file", seq, "--execute", "--output", "json");
    assertEquals(0, created.exit(), created::toString);
    Map<?, ?> stage = (Map<?, ?>) ((List<?>) json(created).get("stages")).get(0);
    assertEquals("renewal@1", stage.get("snippet"));
    CliRun.Result add = yes("sequence.add-recipients", "Renewal", "--file", EXAMPLES.resolve("sequences/renewal.recipients.csv").toString(), "--execute", "--output", "json");
    assertEquals(List.of("missing_variable:plan_name"), ((List<?>) json(add).get("rejected")).stream().map(x -> ((Map<?, ?>) x).get("reason")).toList());
    assertEquals(0, yes("sequence.launch", "Renewal", "--execute").exit());
    CliRun.Result run = cli().run("sequence.run", "--output", "json");
    assertEquals(0, run.exit(), run::toString);
    assertEquals(1L, json(run).get("sent"), run::toString);
    CliRun.Result log = cli().run("delivery.log", "--output", "json", "--limit", "5");
    assertTrue(log.out().contains("\"message_type\":\"welcome_intro\"") || log.out().contains("\"message_type\": \"welcome_intro\""), log.out());
    assertNull(json(cli().run("snippet.show", "renewal", "--output", "json")).get("parent_id"));
  }
}
