package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import comms.core.contract.Bindings;
import comms.core.contract.TemplatesCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks of a recipient row that need no store: addresses, numbers, variables the stages use, template residue. */
class RecipientRowCheckTest {
  static final Path BINDINGS_DIR = Path.of("..", "bindings").toAbsolutePath().normalize();
  static final Path SAMPLES = Path.of("..", "examples", "sequences").toAbsolutePath().normalize();
  static final TemplatesCatalog TEMPLATES = Bindings.open(BINDINGS_DIR).templates();

  /** The sample's stages: welcome_intro and welcome_followup use first_name and company, the SMS nudge first_name. */
  static final SequencePlan WELCOME =
      SequenceFile.load(SAMPLES.resolve("welcome.sequence.yaml"), BINDINGS_DIR.resolve("schemas"), TEMPLATES, SequenceRules.DEFAULTS).plan();

  static Enrollment.RecipientInput row(String email, String phone, String... vars) {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i + 1 < vars.length; i += 2) {
      v.put(vars[i], vars[i + 1]);
    }
    return new Enrollment.RecipientInput(2, email, phone, null, v);
  }

  static Optional<String> reason(Enrollment.RecipientInput r) {
    return RecipientRowCheck.of(WELCOME, TEMPLATES, false).reason(r);
  }

  @Test
  void theVariablesAreThoseTheStagesTemplatesDeclare() {
    assertEquals(List.of("first_name", "company"), List.copyOf(RecipientRowCheck.of(WELCOME, TEMPLATES, false).variables()));
  }

  @Test
  void aGoodRowPasses() {
    assertEquals(Optional.empty(), reason(row("ann@example.com", "+13125550142", "first_name", "Ann", "company", "Co")));
    assertEquals(Optional.empty(), reason(row("ann@example.com", null, "first_name", "Ann", "company", "Co")));
  }

  @Test
  void eachAddressProblemHasItsReason() {
    assertEquals(Optional.of("invalid:no_address"), reason(row(null, null, "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:no_address"), reason(row(" ", "", "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:no_email"), reason(row(null, "+13125550142", "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:double_at"), reason(row("a@@example.com", null, "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:no_tld"), reason(row("a@example", null, "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:email"), reason(row("not an address", null, "first_name", "A", "company", "C")));
    assertEquals(Optional.of("invalid:phone"), reason(row("a@example.com", "5550142", "first_name", "A", "company", "C")));
    assertEquals(
        Optional.of("invalid:cc"),
        RecipientRowCheck.of(WELCOME, TEMPLATES, false).reason(new Enrollment.RecipientInput(2, "a@example.com", null, "c@@x.com", Map.of("first_name", "A", "company", "C"))));
  }

  @Test
  void aVariableTheStagesUseMustBeThere() {
    assertEquals(Optional.of("missing_variable:first_name"), reason(row("a@example.com", null, "company", "C")));
    assertEquals(Optional.of("missing_variable:company"), reason(row("a@example.com", null, "first_name", "A", "company", " ")));
  }

  @Test
  void braceResidueInAValueTheBodyUsesIsRefusedAndElsewhereIgnored() {
    assertEquals(Optional.of("invalid:template_residue:first_name"), reason(row("a@example.com", null, "first_name", "{{company}}", "company", "C")));
    assertEquals(Optional.of("invalid:template_residue:company"), reason(row("a@example.com", null, "first_name", "A", "company", "Acme }}")));
    assertEquals(Optional.empty(), reason(row("a@example.com", null, "first_name", "A", "company", "C", "note", "{{not sent}}")));
  }

  @Test
  void anSmsOnlySequenceNeedsNoEmail() {
    SequencePlan sms =
        new SequencePlan(ZoneId.of("America/New_York"), LocalTime.of(8, 0), LocalTime.of(20, 0), null, null, List.of(),
            List.of(new SequencePlan.StagePlan("sms", Duration.ZERO, "always", "welcome_nudge.sms", "welcome_nudge")));
    assertEquals(Optional.empty(), RecipientRowCheck.of(sms, TEMPLATES, false).reason(row(null, "+13125550142", "first_name", "A")));
  }

  @Test
  void theSampleFileGivesItsThreeInvalidRowsAndLeavesTheStoreReasonsToEnrollment() {
    RecipientRowCheck.Verdict v = RecipientRowCheck.of(WELCOME, TEMPLATES, false).check(RecipientsFile.read(SAMPLES.resolve("welcome.recipients.csv"), 2000));
    assertEquals(
        List.of("maria.gomez@example.org", "lee.park@example.com", "ana.silva@example.net", "tom.reed@example.org", "jo.king@example.com",
            "pat.lane@do-not-contact.example.com"),
        v.accepted().stream().map(Enrollment.RecipientInput::email).toList());
    assertEquals(List.of("invalid:double_at", "invalid:no_tld", "missing_variable:first_name"), v.rejected().stream().map(Enrollment.Rejected::reason).toList());
    assertEquals(List.of(7, 8, 9), v.rejected().stream().map(Enrollment.Rejected::line).toList());
    assertEquals(List.of("broken@@example.com", "nodomain@example", "sam.ortiz@example.com"), v.rejected().stream().map(Enrollment.Rejected::email).toList());
  }
}
