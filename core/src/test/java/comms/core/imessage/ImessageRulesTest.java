package comms.core.imessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.contract.ImessageRules;
import comms.core.contract.SequencesContract;
import comms.core.policy.ImessageHours;
import comms.core.store.RecipientPhones.PhoneConsent;
import comms.core.store.RecipientPhones;
import comms.core.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequences contract's imessage section, the operator-local hours rule and the four prerequisites, each alone. */
class ImessageRulesTest {
  static final Path BINDINGS = Path.of("..", "bindings").toAbsolutePath().normalize();
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @TempDir Path dir;

  @Test
  void theSampleContractAllowsTheDefaultOperatorWithTheDesignsLimits() {
    ImessageRules r = Bindings.open(BINDINGS).sequences().imessage();
    assertTrue(r.daemonEnabled());
    assertTrue(r.allows("Dana@LakesidePrint.com"), "the default operator is on the sample allowlist");
    assertFalse(r.allows("sam@lakesideprint.com"));
    assertEquals(50, r.operator("dana@lakesideprint.com").orElseThrow().dailyCap());
    assertEquals(CHICAGO, r.operator("dana@lakesideprint.com").orElseThrow().zone());
    assertEquals(Duration.ofSeconds(30), r.minGap());
    assertEquals(LocalTime.of(9, 0), r.start());
    assertEquals(LocalTime.of(20, 0), r.end());
  }

  /** The sample sequences contract with its imessage section replaced by {@code section}; the refusal of loading it. */
  ContractException refused(String section) throws IOException {
    Path b = dir.resolve("bindings-" + System.nanoTime());
    Files.createDirectories(b);
    try (var files = Files.list(BINDINGS)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, b.resolve(f.getFileName()));
        }
      }
    }
    Files.createDirectories(b.resolve("schemas"));
    try (var files = Files.list(BINDINGS.resolve("schemas"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, b.resolve("schemas").resolve(f.getFileName()));
      }
    }
    Path seq = b.resolve(SequencesContract.FILE);
    String text = Files.readString(seq);
    Files.writeString(seq, text.substring(0, text.indexOf("imessage:")) + section);
    return assertThrows(ContractException.class, () -> Bindings.open(b).sequences());
  }

  @Test
  void aBadSectionIsRefusedAtItsLineNamingTheField() throws IOException {
    int line = lineOfImessage();
    ContractException zone = refused("imessage:\n  daemon: enabled\n  operators:\n    - { email: dana@lakesideprint.com, zone: Central }\n");
    assertEquals(ExitCode.CONTRACT, zone.exitCode());
    assertTrue(zone.getMessage().contains(SequencesContract.FILE + ":" + (line + 3)), zone.getMessage());
    assertTrue(zone.getMessage().contains("zone") && zone.getMessage().contains("Central"), zone.getMessage());
    ContractException gap = refused("imessage:\n  daemon: enabled\n  min_gap_seconds: 5\n  operators: []\n");
    assertTrue(gap.getMessage().contains(":" + (line + 2) + ":") && gap.getMessage().contains("min_gap_seconds"), gap.getMessage());
    ContractException daemon = refused("imessage:\n  daemon: maybe\n  operators: []\n");
    assertTrue(daemon.getMessage().contains(":" + (line + 1) + ":") && daemon.getMessage().contains("daemon"), daemon.getMessage());
    ContractException typo = refused("imessage:\n  daemon: enabled\n  daily_cpa: 10\n  operators: []\n");
    assertTrue(typo.getMessage().contains("daily_cpa"), typo.getMessage());
  }

  private static int lineOfImessage() throws IOException {
    String[] lines = Files.readString(BINDINGS.resolve(SequencesContract.FILE)).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("imessage:")) {
        return i + 1;
      }
    }
    throw new AssertionError("no imessage section in the sample");
  }

  @Test
  void hoursAreJudgedOnTheOperatorsClockAtTheirEdges() {
    ImessageHours h = new ImessageHours(LocalTime.of(9, 0), LocalTime.of(20, 0));
    Instant at0859 = Instant.parse("2026-12-07T14:59:00Z"); // 08:59 in Chicago (CST, UTC-6)
    assertEquals(Optional.of(Instant.parse("2026-12-07T15:00:00Z")), h.closedUntil(at0859, CHICAGO));
    assertEquals(Optional.empty(), h.closedUntil(Instant.parse("2026-12-07T15:00:00Z"), CHICAGO));
    assertEquals(Optional.empty(), h.closedUntil(Instant.parse("2026-12-08T01:59:00Z"), CHICAGO)); // 19:59
    assertEquals(Optional.of(Instant.parse("2026-12-08T15:00:00Z")), h.closedUntil(Instant.parse("2026-12-08T02:00:00Z"), CHICAGO)); // 20:00: tomorrow 09:00
    // The same instant is open for an operator in New York (10:00) while closed in Chicago.
    assertEquals(Optional.empty(), h.closedUntil(at0859, ZoneId.of("America/New_York")));
  }

  @Test
  void eachOfTheFourPrerequisitesMissingIsItsOwnReason() {
    try (Store store = Store.at(dir.resolve("comms.db"))) {
      RecipientPhones phones = RecipientPhones.of(store);
      Instant at = Instant.parse("2026-11-02T15:04:00Z");
      PhoneConsent full = new PhoneConsent("lee@example.com", "+15551234567", true, at, "Yes, text me. Reply STOP to end.", "dana@lakesideprint.com", at, null, null);
      assertEquals(Optional.empty(), Prerequisites.missing(Optional.of(full), phones));
      assertEquals(Optional.of("imessage_prerequisite:phone_e164"), Prerequisites.missing(Optional.empty(), phones));
      assertEquals(Optional.of("imessage_prerequisite:phone_e164"), Prerequisites.missing(Optional.of(with(full, "555-1234", true, at, full.disclosureText())), phones));
      assertEquals(Optional.of("imessage_prerequisite:phone_consent_for_imessage"), Prerequisites.missing(Optional.of(with(full, full.phoneE164(), false, at, full.disclosureText())), phones));
      assertEquals(Optional.of("imessage_prerequisite:phone_consent_at"), Prerequisites.missing(Optional.of(with(full, full.phoneE164(), true, null, full.disclosureText())), phones));
      assertEquals(Optional.of("imessage_prerequisite:phone_consent_disclosure_text"), Prerequisites.missing(Optional.of(with(full, full.phoneE164(), true, at, " ")), phones));
      phones.revoke("+15551234567", "test", at);
      assertEquals(Optional.of("suppressed:imessage"), Prerequisites.missing(Optional.of(full), phones));
    }
  }

  private static PhoneConsent with(PhoneConsent p, String phone, boolean flag, Instant at, String text) {
    return new PhoneConsent(p.email(), phone, flag, at, text, p.registeredBy(), p.updatedAt(), null, null);
  }
}
