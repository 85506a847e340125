package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence commands through the real parser: JSON shapes, refusals that change nothing, the walkthrough. */
class SequenceCommandsTest {
  static final Path SAMPLES = CliRun.SAMPLE_BINDINGS.resolveSibling("examples").resolve("sequences");
  static final String MONDAY = "2026-12-07T15:00:00Z";

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

  String created() {
    CliRun.Result r = yes("sequence.create", "--file", SAMPLES.resolve("welcome.sequence.yaml").toString(), "--execute", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    return (String) json(r).get("id");
  }

  long files(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void createShowsIdStateVersionStagesAndCounts() {
    String id = created();
    Map<String, Object> show = json(cli().run("sequence.show", id, "--output", "json"));
    assertEquals(id, show.get("id"));
    assertEquals("Welcome", show.get("name"));
    assertEquals("dana@lakesideprint.com", show.get("owner"));
    assertEquals("draft", show.get("state"));
    assertEquals(1L, show.get("state_version"));
    assertEquals(3, ((List<?>) show.get("stages")).size());
    assertEquals(0L, ((Map<?, ?>) show.get("counts")).get("active"));
  }

  @Test
  void addRecipientsAnswersAcceptedAndRejectedWithReasons() {
    String id = created();
    yes("suppression.add", "--domain", "do-not-contact.example.com", "--reason", "asked", "--execute");
    CliRun.Result r = yes("sequence.add-recipients", id, "--file", SAMPLES.resolve("welcome.recipients.csv").toString(), "--execute", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals(5, ((List<?>) m.get("accepted")).size());
    List<?> rejected = (List<?>) m.get("rejected");
    assertEquals(
        List.of("invalid:double_at", "invalid:no_tld", "missing_variable:first_name", "suppressed:domain"),
        rejected.stream().map(x -> ((Map<?, ?>) x).get("reason")).toList());
    assertTrue(rejected.stream().allMatch(x -> ((Map<?, ?>) x).containsKey("email")));
  }

  @Test
  void aFileOfMoreThan2000RowsIsRefusedWholeAndWritesNothing() throws Exception {
    String id = created();
    StringBuilder csv = new StringBuilder("email,first_name,company\n");
    for (int i = 0; i < 2001; i++) {
      csv.append("r").append(i).append("@example.com,R,Co\n");
    }
    Path f = Files.writeString(tmp.resolve("big.csv"), csv);
    long before = files(tmp.resolve("outbox"));
    CliRun.Result r = yes("sequence.add-recipients", id, "--file", f.toString(), "--execute");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("2001 recipients"), r.err());
    assertEquals(before, files(tmp.resolve("outbox")), "a refused add leaves no receipt");
    assertEquals(0L, ((Map<?, ?>) json(cli().run("sequence.show", id, "--output", "json")).get("counts")).get("active"));
  }

  @Test
  void aBadSequenceFileIsRefusedWithItsLineAndField() throws Exception {
    Path f = Files.writeString(tmp.resolve("bad.yaml"), "name: Bad\nzone: America/New_York\nstages:\n  - medium: email\n    template: welcome_intro.email\n    trigger: opened\n");
    CliRun.Result r = yes("sequence.create", "--file", f.toString(), "--execute");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("bad.yaml:6:"), r.err());
    assertTrue(r.err().contains("opens are not a trustworthy signal"), r.err());
    Path six = Files.writeString(tmp.resolve("six.yaml"), "name: Six\nzone: Mars/Olympus\nstages:\n  - { medium: email, template: welcome_intro.email }\n");
    CliRun.Result zone = yes("sequence.create", "--file", six.toString(), "--execute");
    assertEquals(3, zone.exit(), zone::toString);
    assertTrue(zone.err().contains("six.yaml:2:") && zone.err().contains("not an IANA time zone"), zone.err());
    assertFalse(Files.exists(tmp.resolve("outbox/state/comms.db")), "a refused file creates no store");
  }

  @Test
  void aStaleStateVersionIsExit3AndChangesNothing() {
    String id = created();
    yes("sequence.add-recipients", id, "--file", SAMPLES.resolve("welcome.recipients.csv").toString(), "--execute");
    assertEquals(0, yes("replies.sync", "--execute").exit(), "a multi-stage launch needs the owner's reply watch");
    assertEquals(0, yes("sequence.launch", id, "--execute").exit());
    CliRun.Result stale = yes("sequence.pause", id, "--state-version", "1", "--execute");
    assertEquals(3, stale.exit(), stale::toString);
    assertTrue(stale.err().contains("--state-version 2"), stale.err());
    assertEquals("active", json(cli().run("sequence.show", id, "--output", "json")).get("state"));
  }

  @Test
  void theWorkerRunsThreeWeeksAndEveryStageSendIsALogLine() {
    String id = created();
    yes("sequence.add-recipients", id, "--file", SAMPLES.resolve("welcome.recipients.csv").toString(), "--execute");
    yes("replies.sync", "--execute");
    yes("sequence.launch", id, "--execute");
    CliRun.Result run = cli().run("sequence.run", "--until", "+21d", "--output", "json");
    assertEquals(0, run.exit(), run::toString);
    Map<String, Object> m = json(run);
    // Six accepted rows: two emails each, and the three with numbers get a text only with consent (none recorded).
    assertEquals(12L, m.get("sent"));
    assertEquals(List.of(), m.get("deferred"));
    assertEquals(List.of(id), m.get("completed_sequences"));
    List<?> log = (List<?>) json(cli().run("delivery.log", "--limit", "100", "--output", "json")).get("entries");
    assertTrue(log.stream().allMatch(l -> id.equals(((Map<?, ?>) l).get("sequence_id"))), log.toString());
    List<?> recipients = (List<?>) json(cli().run("sequence.recipients", id, "--output", "json")).get("recipients");
    assertTrue(recipients.stream().allMatch(x -> "completed".equals(((Map<?, ?>) x).get("state"))), recipients.toString());
  }

  @Test
  void aConfirmationMustComeFromAnotherOperator() {
    String id = created();
    yes("sequence.add-recipients", id, "--file", SAMPLES.resolve("welcome.recipients.csv").toString(), "--execute");
    CliRun.Result own = yes("approval.confirm", id, "--execute");
    assertEquals(3, own.exit(), own::toString);
    assertTrue(own.err().contains("cannot confirm their own"), own.err());
    CliRun.Result sam = yes("approval.confirm", id, "--as", "sam@lakesideprint.com", "--execute", "--output", "json");
    assertEquals(0, sam.exit(), sam::toString);
    assertEquals("confirm", json(sam).get("kind"));
  }

  @Test
  void theWalkthroughRunsEveryStepAsTheRunbookSays() {
    CliRun.Result r = new CliRun(tmp.resolve("unused")).run("walkthrough", "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> m = json(r);
    assertEquals(true, m.get("ok"));
    assertTrue(((List<?>) m.get("steps")).size() >= 20);
  }
}
