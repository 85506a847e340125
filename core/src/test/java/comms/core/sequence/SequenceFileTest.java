package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.contract.SequencesContract;
import comms.core.contract.TemplatesCatalog;
import comms.core.policy.SequencePolicy;
import comms.core.policy.StageDelay;
import comms.core.policy.StageTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence file: the sample loads against the real bindings, and every refusal names its file, line and field. */
class SequenceFileTest {
  static final Path BINDINGS_DIR = Path.of("..", "bindings").toAbsolutePath().normalize();
  static final Path SAMPLES = Path.of("..", "examples", "sequences").toAbsolutePath().normalize();
  static final TemplatesCatalog TEMPLATES = Bindings.open(BINDINGS_DIR).templates();

  @TempDir Path dir;

  static final String HEAD = "name: Welcome\nzone: America/New_York\nstages:\n";
  static final String EMAIL_STAGE = "  - medium: email\n    delay: \"0\"\n    template: welcome_intro.email\n";

  Path file(String yaml) throws IOException {
    return Files.writeString(dir.resolve("s.sequence.yaml"), yaml);
  }

  SequenceService.Draft load(String yaml) throws IOException {
    return SequenceFile.load(file(yaml), BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS);
  }

  /** The refusal of {@code yaml}: exit 3, naming the file and {@code line}, with {@code words} in it. */
  ContractException refused(String yaml, int line, String... words) throws IOException {
    Path f = file(yaml);
    ContractException e = assertThrows(ContractException.class, () -> SequenceFile.load(f, BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().startsWith(f + ":" + line + ":"), () -> "expected " + f + ":" + line + ": in: " + e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), () -> "expected '" + w + "' in: " + e.getMessage());
    }
    return e;
  }

  // ------------------------------------------------------------------ the sample

  @Test
  void theSampleLoadsAgainstTheRealBindings() {
    SequenceService.Draft d =
        SequenceFile.load(SAMPLES.resolve("welcome.sequence.yaml"), BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS);
    assertEquals("Welcome", d.name());
    assertNull(d.owner(), "the sample leaves the owner to --as");
    SequencePlan p = d.plan();
    assertEquals(ZoneId.of("America/New_York"), p.zone());
    assertEquals(LocalTime.of(8, 0), p.windowStart());
    assertEquals(LocalTime.of(20, 0), p.windowEnd());
    assertEquals("US", p.holidayCountry());
    assertEquals(List.of("email", "email", "sms"), p.stages().stream().map(SequencePlan.StagePlan::medium).toList());
    assertEquals(List.of("always", "no_reply", "no_engagement"), p.stages().stream().map(SequencePlan.StagePlan::trigger).toList());
    assertEquals(List.of(Duration.ZERO, Duration.ofDays(3), Duration.ofDays(4)), p.stages().stream().map(SequencePlan.StagePlan::delay).toList());
    for (SequencePlan.StagePlan s : p.stages()) {
      assertEquals(s.medium(), TEMPLATES.template(s.template()).orElseThrow().channel());
    }
  }

  @Test
  void aJsonDocumentReadsUnderTheSameSchemaAndRules() {
    String json =
        "{\"name\":\"Welcome\",\"zone\":\"America/New_York\",\"stages\":[{\"medium\":\"email\",\"delay\":\"0\",\"template\":\"welcome_intro.email\"}]}";
    SequenceService.Draft d = SequenceFile.parse(json, "sequence", BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS, null, null);
    assertEquals("Welcome", d.name());
    assertEquals(1, d.plan().stages().size());
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> SequenceFile.parse(json.replace("\"always\"", "").replace("\"template\"", "\"trigger\":\"opened\",\"template\""), "sequence",
                BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS, null, null));
    assertTrue(e.getMessage().startsWith("sequence:1:"), e.getMessage());
    assertTrue(e.getMessage().contains("(stages[0].trigger): trigger 'opened' is refused"), e.getMessage());
  }

  @Test
  void theBundledSchemaReadsTheSampleWithTheLimitGiven() {
    SequenceService.Draft d = SequenceFile.load(SAMPLES.resolve("welcome.sequence.yaml"), TEMPLATES, 5);
    assertEquals(3, d.plan().stages().size());
    ContractException e = assertThrows(ContractException.class, () -> SequenceFile.load(SAMPLES.resolve("welcome.sequence.yaml"), TEMPLATES, 2));
    assertTrue(e.getMessage().contains("at most 2 stages; this one has 3"), e.getMessage());
  }

  @Test
  void aFullFileReadsEveryField() throws IOException {
    SequenceService.Draft d =
        load(
            "version: 1\nname: Spring\nowner: dana@lakesideprint.com\nzone: Europe/Berlin\nwindow: { start: \"09:30\", end: \"17:00\" }\n"
                + "holidays:\n  country: DE\n  subdivision: BY\n  extra_dates: [2026-12-24, 2026-12-31]\nstages:\n" + EMAIL_STAGE
                + "  - { medium: sms, delay: 1d12h, trigger: no_engagement, template: welcome_nudge.sms }\n");
    assertEquals("dana@lakesideprint.com", d.owner());
    assertEquals(LocalTime.of(9, 30), d.plan().windowStart());
    assertEquals("BY", d.plan().holidaySubdivision());
    assertEquals(List.of(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 31)), d.plan().extraHolidays());
    assertEquals(Duration.ofHours(36), d.plan().stage(2).delay());
    assertEquals("welcome_nudge", d.plan().stage(2).messageType());
  }

  // ------------------------------------------------------------------ refusals, each with file:line

  @Test
  void anUnknownKeyIsRefusedWhereItStands() throws IOException {
    refused(HEAD + EMAIL_STAGE + "colour: blue\n", 7, "unknown key 'colour'");
    refused(HEAD + EMAIL_STAGE + "    subjet: hi\n", 7, "unknown key 'subjet'", "stages[0]");
  }

  @Test
  void aMissingFieldIsNamed() throws IOException {
    refused("name: Welcome\nstages:\n" + EMAIL_STAGE, 1, "missing required field 'zone'");
  }

  @Test
  void aYamlSyntaxErrorHasItsLine() throws IOException {
    refused(HEAD + "  - medium: email\n    template: [welcome_intro.email\n", 6, "YAML syntax error");
  }

  @Test
  void aZoneThatIsNotIanaIsRefusedWithASentence() throws IOException {
    refused("name: W\nzone: Mars/Olympus\nstages:\n" + EMAIL_STAGE, 2, "'Mars/Olympus' is not an IANA time zone", "America/New_York");
    refused("name: W\nzone: \"+05:00\"\nstages:\n" + EMAIL_STAGE, 2, "not an IANA time zone");
    refused("name: W\nzone: UTC+3\nstages:\n" + EMAIL_STAGE, 2, "not an IANA time zone");
  }

  @Test
  void everyIanaZoneNameIsAccepted() throws IOException {
    for (String zone : List.of("EST5EDT", "Etc/GMT+5", "UTC", "America/Argentina/Buenos_Aires", "America/Port-au-Prince")) {
      assertEquals(ZoneId.of(zone), load("name: W\nzone: " + zone + "\nstages:\n" + EMAIL_STAGE).plan().zone(), zone);
    }
  }

  @Test
  void aWindowIsHhMmAndNarrowsTheContractsNeverWidens() throws IOException {
    refused(HEAD.replace("stages:\n", "window: { start: 8am, end: \"20:00\" }\nstages:\n") + EMAIL_STAGE, 3, "window.start", "8am");
    refused(HEAD.replace("stages:\n", "window: { start: \"18:00\", end: \"09:00\" }\nstages:\n") + EMAIL_STAGE, 3, "must open before it closes");
    refused(HEAD.replace("stages:\n", "window: { start: \"07:00\", end: \"20:00\" }\nstages:\n") + EMAIL_STAGE, 3, "wider than", "never widen");
  }

  @Test
  void holidaysNameARealCountryAndRealDates() throws IOException {
    refused(HEAD.replace("stages:\n", "holidays:\n  country: XX\nstages:\n") + EMAIL_STAGE, 4, "'XX' is not an ISO 3166 country");
    refused(HEAD.replace("stages:\n", "holidays:\n  subdivision: NY\nstages:\n") + EMAIL_STAGE, 4, "needs its country");
    refused(HEAD.replace("stages:\n", "holidays:\n  country: US\n  extra_dates:\n    - 2026-02-30\nstages:\n") + EMAIL_STAGE, 6, "'2026-02-30' is not a date");
  }

  @Test
  void moreStagesThanTheLimitAreRefusedWithTheCountAndTheLimit() throws IOException {
    StringBuilder y = new StringBuilder(HEAD).append(EMAIL_STAGE);
    for (int i = 0; i < 5; i++) {
      y.append("  - { medium: email, delay: 1d, template: welcome_followup.email }\n");
    }
    refused(y.toString(), 4, "at most 5 stages; this one has 6");
    refused(HEAD.replace("stages:\n", "stages: []\n"), 3, "at least one");
  }

  @Test
  void imessageIsOnlyForOwnersOnTheAllowlist() throws IOException {
    // The defaults have no iMessage section: nobody is on the allowlist.
    refused(HEAD + "  - { medium: imessage, template: welcome_nudge.sms }\n", 4, "iMessage stages are only for sequences owned by an operator on the iMessage allowlist", "nobody is on it");
    refused(HEAD + "  - { medium: fax, template: welcome_intro.email }\n", 4, "medium 'fax'");
    SequenceRules contract = SequencePolicy.from(Bindings.open(BINDINGS_DIR).sequences()).sequenceRules();
    Path f = file("name: Nudge\nowner: sam@lakesideprint.com\nzone: America/New_York\nstages:\n  - { medium: imessage, template: welcome_nudge.sms }\n");
    ContractException sam = assertThrows(ContractException.class, () -> SequenceFile.load(f, BINDINGS_DIR.resolve("schemas"), TEMPLATES, contract));
    assertTrue(sam.getMessage().startsWith(f + ":5:") && sam.getMessage().contains("sam@lakesideprint.com is not") && sam.getMessage().contains("dana@lakesideprint.com"), sam.getMessage());
    Path d = file("name: Nudge\nowner: dana@lakesideprint.com\nzone: America/New_York\nstages:\n  - { medium: imessage, template: welcome_nudge.sms }\n");
    SequencePlan plan = SequenceFile.load(d, BINDINGS_DIR.resolve("schemas"), TEMPLATES, contract).plan();
    assertEquals("imessage", plan.stage(1).medium());
    assertEquals("welcome_nudge", plan.stage(1).messageType());
    // An iMessage is a text: an email template is refused at its line.
    Path e = file("name: Nudge\nowner: dana@lakesideprint.com\nzone: America/New_York\nstages:\n  - { medium: imessage, template: welcome_intro.email }\n");
    ContractException email = assertThrows(ContractException.class, () -> SequenceFile.load(e, BINDINGS_DIR.resolve("schemas"), TEMPLATES, contract));
    assertTrue(email.getMessage().startsWith(e + ":5:") && email.getMessage().contains("an iMessage stage sends an SMS template"), email.getMessage());
  }

  @Test
  void openedIsRefusedBecauseOpensAreNotATrustworthySignal() throws IOException {
    refused(HEAD + EMAIL_STAGE + "    trigger: opened\n", 7, "opens are not a trustworthy signal", "Apple Mail Privacy Protection", "Google Image Proxy");
    refused(HEAD + EMAIL_STAGE + "    trigger: clicked\n", 7, "trigger 'clicked' is not known", "always, no_reply, no_engagement");
  }

  @Test
  void theStageRulesAreTheSequencesContracts() throws IOException {
    Bindings bindings = Bindings.open(BINDINGS_DIR);
    SequenceRules contract = SequencePolicy.from(bindings.sequences()).sequenceRules();
    // The same StageDelay and StageTrigger the policy register lists, with the contract's limits.
    assertEquals(SequencePolicy.from(bindings.sequences()).delays().parse("90d"), contract.delays().parse("90d"));
    SequenceRules onlyAlways =
        new SequenceRules(
            5, 2000, LocalTime.of(8, 0), LocalTime.of(20, 0), List.of(), SequenceRules.DEFAULTS.tiers(), Duration.ofHours(24),
            new StageDelay(Duration.ofDays(7)),
            new StageTrigger(new SequencesContract.Triggers(null, List.of("always"), Map.of())));
    Path f = file(HEAD + EMAIL_STAGE + "  - { medium: email, delay: 8d, template: welcome_followup.email }\n");
    ContractException longer = assertThrows(ContractException.class, () -> SequenceFile.load(f, BINDINGS_DIR.resolve("schemas"), TEMPLATES, onlyAlways));
    assertTrue(longer.getMessage().startsWith(f + ":7:") && longer.getMessage().contains("longer than the 7 days a stage may wait"), longer.getMessage());
    Path g = file(HEAD + EMAIL_STAGE + "    trigger: no_reply\n");
    ContractException notAllowed = assertThrows(ContractException.class, () -> SequenceFile.load(g, BINDINGS_DIR.resolve("schemas"), TEMPLATES, onlyAlways));
    assertTrue(notAllowed.getMessage().contains("trigger 'no_reply' is not allowed by"), notAllowed.getMessage());
    assertEquals("no_reply", load(HEAD + EMAIL_STAGE + "    trigger: no_reply\n").plan().stage(1).trigger());
  }

  @Test
  void aDelayIsADurationAndOnlyStageOneMayBeZero() throws IOException {
    refused(HEAD + "  - { medium: email, delay: 3 days, template: welcome_intro.email }\n", 4, "delay '3 days' is not a duration", "3d");
    refused(HEAD + "  - { medium: email, delay: 91d, template: welcome_intro.email }\n", 4, "longer than the 90 days a stage may wait");
    assertEquals(Duration.ZERO, load(HEAD + "  - { medium: email, delay: 0, template: welcome_intro.email }\n").plan().stage(1).delay());
    assertEquals(Duration.ZERO, load(HEAD + "  - { medium: email, template: welcome_intro.email }\n").plan().stage(1).delay());
    refused(HEAD + EMAIL_STAGE + "  - { medium: email, delay: \"0\", template: welcome_followup.email }\n", 7, "stage 2", "only stage 1 may go out at once");
    refused(HEAD + EMAIL_STAGE + "  - { medium: email, template: welcome_followup.email }\n", 7, "stage 2", "needs a delay");
  }

  @Test
  void aTemplateMustBeInTheCatalogAndOfTheStagesMedium() throws IOException {
    refused(HEAD + "  - { medium: email, template: nope.email }\n", 4, "template 'nope.email' is not in communications.templates.catalog.yaml");
    refused(HEAD + "  - { medium: sms, template: welcome_intro.email }\n", 4, "is a email template but this stage goes out by sms");
    refused(HEAD + "  - { medium: email }\n", 4, "stages[0]", "template");
  }

  @Test
  void aSnippetStageHasItsShapeAndNeedsTheSnippetLibrary() throws IOException {
    refused(HEAD + "  - { medium: email, snippet: welcome_intro@3 }\n", 4, "snippet stages need the snippet library", "template");
    refused(HEAD + "  - { medium: email, snippet: welcome_intro }\n", 4, "stages[0].snippet", "ID@VERSION");
    refused(HEAD + "  - { medium: email, snippet: welcome_intro@3, template: welcome_intro.email }\n", 4, "a template or a snippet, not both");
  }

  @Test
  void aCopyInTheNameIsRefused() throws IOException {
    refused("name: Welcome (Copy)\nzone: America/New_York\nstages:\n" + EMAIL_STAGE, 1, "(Copy)");
  }

  @Test
  void aDuplicateKeyIsRefused() throws IOException {
    refused("name: A\nname: B\nzone: America/New_York\nstages:\n" + EMAIL_STAGE, 2, "duplicate key 'name'");
  }

  // ------------------------------------------------------------------ the model guards itself

  @Test
  void aStageRefusesWhatTheFileWouldHaveRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan.StagePlan("fax", Duration.ZERO, "always", "t", "m"));
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan.StagePlan("email", Duration.ZERO, "opened", "t", "m"));
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan.StagePlan("email", Duration.ofHours(-1), "always", "t", "m"));
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan.StagePlan("email", Duration.ZERO, "always", " ", "m"));
  }

  @Test
  void aPlanRefusesAWindowThatDoesNotOpenBeforeItCloses() {
    List<SequencePlan.StagePlan> one = List.of(new SequencePlan.StagePlan("email", Duration.ZERO, "always", "t", "m"));
    ZoneId ny = ZoneId.of("America/New_York");
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan(ny, LocalTime.of(20, 0), LocalTime.of(8, 0), null, null, List.of(), one));
    assertThrows(IllegalArgumentException.class, () -> new SequencePlan(ny, LocalTime.of(8, 0), LocalTime.of(8, 0), null, null, List.of(), one));
  }
}
