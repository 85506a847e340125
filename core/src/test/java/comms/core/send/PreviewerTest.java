package comms.core.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.DeliveryContract;
import comms.core.contract.Source;
import comms.core.contract.TemplatesCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every gate, passing and failing, through the Previewer on the sample contracts. */
class PreviewerTest {
  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");
  static final Instant TEN_PM_CHICAGO = Instant.parse("2026-11-24T04:00:00Z");
  static final String RUNBOOK_NUMBER = "+15551234567";
  static final String CHICAGO_NUMBER = "+13125550142";

  static Map<String, String> vars() {
    Map<String, String> v = new HashMap<>();
    v.put("customer_name", "Test");
    v.put("order_number", "30020");
    v.put("balance_amount", "150.00");
    v.put("payment_link", "https://example.com/pay");
    return v;
  }

  static PreviewRequest sms(String to, String consent, Map<String, String> vars, Instant at) {
    return new PreviewRequest("sms", "payment_needed", to, consent, vars, at, null, false);
  }

  static PreviewRequest email(String to, String consent, Map<String, String> vars) {
    return new PreviewRequest("email", "payment_needed", to, consent, vars, TEN_PM_CHICAGO, null, false);
  }

  static Previewer previewer() {
    return Previewer.from(BINDINGS, ConsentRecords.NONE, SuppressionList.NONE);
  }

  static Gate gate(Preview p, String name) {
    return p.gates().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no gate " + name + " in " + p.gates()));
  }

  // ------------------------------------------------------------------ the runbook's example

  @Test
  void runbookExampleIsAllowedInSimulationWithARecipientWarning() {
    Preview p = previewer().preview(sms(RUNBOOK_NUMBER, "opted-in", vars(), NOON_CHICAGO));
    assertEquals(Preview.Verdict.allowed, p.verdict(), p.gates()::toString);
    assertEquals(ExitCode.OK, p.exitCode());
    assertEquals("twilio", p.provider());
    assertEquals("payment_needed.sms", p.templateId());
    assertEquals(RUNBOOK_NUMBER, p.to());
    assertEquals(Gate.Result.warn, gate(p, Gate.RECIPIENT).result());
    assertEquals(
        "Hi Test, order 30020 at Lakeside Print has a balance of $150.00. Pay here: https://example.com/pay Reply STOP to opt out.",
        p.body());
    assertEquals(SmsSegments.GSM_7, p.sms().encoding());
    assertEquals(1, p.sms().segments());
    assertEquals(p.body().length(), p.sms().characters());
    assertEquals(
        List.of("recipient", "consent", "suppression", "quiet_hours", "stop_footer", "bulk_email", "template_residue", "header_safety", "length", "forbidden_patterns"),
        p.gates().stream().map(Gate::name).toList());
    assertNull(p.nextAllowedAt());
    // the number cannot be placed, so quiet hours use the policy's default zone
    assertEquals(List.of(ZoneId.of("America/Chicago")), p.recipientZones());
    assertTrue(gate(p, Gate.QUIET_HOURS).reason().contains("default zone"), gate(p, Gate.QUIET_HOURS)::reason);
  }

  @Test
  void runbookNumberIsBlockedInLiveMode() {
    PreviewRequest live = new PreviewRequest("sms", "payment_needed", RUNBOOK_NUMBER, "opted-in", vars(), NOON_CHICAGO, null, true);
    Preview p = previewer().preview(live);
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertEquals(Gate.Result.fail, gate(p, Gate.RECIPIENT).result());
    assertEquals(ExitCode.POLICY, p.exitCode());
  }

  @Test
  void bodyHashIsSha256OfTheFinalBody() throws Exception {
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO));
    String want = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(p.body().getBytes(StandardCharsets.UTF_8)));
    assertEquals(want, p.bodyHash());
    assertEquals(64, p.bodyHash().length());
  }

  // ------------------------------------------------------------------ recipient

  @Test
  void tooShortNumberBlocks() {
    Preview p = previewer().preview(sms("+1555", "opted-in", vars(), NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertTrue(gate(p, Gate.RECIPIENT).reason().contains("too short"));
  }

  @Test
  void doubleAtAndMissingTldBlockEmail() {
    for (String bad : List.of("a@@b.com", "a@b")) {
      Preview p = previewer().preview(email(bad, "opted-in", vars()));
      assertEquals(Preview.Verdict.blocked, p.verdict(), bad);
      assertEquals(Gate.Result.fail, gate(p, Gate.RECIPIENT).result(), bad);
    }
  }

  // ------------------------------------------------------------------ consent

  @Test
  void smsNeedsOptIn() {
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "implied", vars(), NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    Gate g = gate(p, Gate.CONSENT);
    assertEquals(Gate.Result.fail, g.result());
    assertTrue(g.reason().contains("opted-in") && g.reason().contains("implied"), g::reason);
  }

  @Test
  void emailAcceptsImpliedConsent() {
    Preview p = previewer().preview(email("maria@example.com", "implied", vars()));
    assertEquals(Gate.Result.pass, gate(p, Gate.CONSENT).result());
    assertEquals(Preview.Verdict.allowed, p.verdict(), p.gates()::toString);
  }

  @Test
  void claimedOptOutAlwaysBlocks() {
    Preview p = previewer().preview(email("maria@example.com", "opted-out", vars()));
    assertEquals(Gate.Result.fail, gate(p, Gate.CONSENT).result());
    assertTrue(gate(p, Gate.CONSENT).reason().contains("always blocks"));
  }

  @Test
  void recordedOptOutOverridesClaimedOptIn() {
    List<String> asked = new ArrayList<>();
    ConsentRecords store =
        (channel, recipient) -> {
          asked.add(channel + " " + recipient);
          return recipient.equals(CHICAGO_NUMBER) ? Optional.of("opted-out") : Optional.empty();
        };
    Previewer pv = Previewer.from(BINDINGS, store, SuppressionList.NONE);
    Preview p = pv.preview(sms("+1 312 555 0142", "opted-in", vars(), NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertEquals(List.of("sms " + CHICAGO_NUMBER), asked, "the store is asked with the normalized number");
    Gate g = gate(p, Gate.CONSENT);
    assertEquals(Gate.Result.fail, g.result());
    assertTrue(g.reason().contains("recorded opt-out") && g.reason().contains("opted-in"), g::reason);
    assertEquals("opted-out", p.consentState());
  }

  @Test
  void recordedOptInDoesNotOverrideTheClaim() {
    Previewer pv = Previewer.from(BINDINGS, (c, r) -> Optional.of("opted-in"), SuppressionList.NONE);
    Preview p = pv.preview(sms(CHICAGO_NUMBER, "unknown", vars(), NOON_CHICAGO));
    assertEquals(Gate.Result.fail, gate(p, Gate.CONSENT).result());
  }

  @Test
  void unknownConsentStateIsAUsageError() {
    CommsException e = assertThrows(CommsException.class, () -> previewer().preview(sms(CHICAGO_NUMBER, "yes-please", vars(), NOON_CHICAGO)));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("opted-in"), e::getMessage);
  }

  // ------------------------------------------------------------------ suppression

  @Test
  void suppressedDomainBlocks() {
    SuppressionList list = (channel, recipient) -> recipient.endsWith("@example.org") ? Optional.of("domain example.org: bounced") : Optional.empty();
    Previewer pv = Previewer.from(BINDINGS, ConsentRecords.NONE, list);
    Preview p = pv.preview(email("Ops@Example.ORG", "opted-in", vars()));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    Gate g = gate(p, Gate.SUPPRESSION);
    assertEquals(Gate.Result.fail, g.result());
    assertTrue(g.reason().contains("bounced"), g::reason);
    assertEquals(Gate.Result.pass, gate(pv.preview(email("ops@example.com", "opted-in", vars())), Gate.SUPPRESSION).result());
  }

  // ------------------------------------------------------------------ quiet hours

  @Test
  void validNumberInsideQuietHoursIsDeferredUntilMorning() {
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", vars(), TEN_PM_CHICAGO));
    assertEquals(Preview.Verdict.deferred, p.verdict(), p.gates()::toString);
    assertEquals(ExitCode.POLICY, p.exitCode());
    assertEquals(Instant.parse("2026-11-24T14:00:00Z"), p.nextAllowedAt());
    // The gate that defers says so (fail), and it is the only failure: the verdict is deferred, not blocked.
    assertEquals(Gate.Result.fail, gate(p, Gate.QUIET_HOURS).result());
    assertEquals(List.of(Gate.QUIET_HOURS), p.failures().stream().map(Gate::name).toList());
    assertTrue(gate(p, Gate.QUIET_HOURS).reason().contains("from the number"));
  }

  @Test
  void recipientZoneOverridesTheNumbersZone() {
    PreviewRequest r = new PreviewRequest("sms", "payment_needed", CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO, ZoneId.of("Asia/Tokyo"), false);
    Preview p = previewer().preview(r);
    // noon in Chicago is 03:00 in Tokyo; 08:00 Tokyo is 23:00Z
    assertEquals(Preview.Verdict.deferred, p.verdict());
    assertEquals(Instant.parse("2026-11-23T23:00:00Z"), p.nextAllowedAt());
    assertEquals(List.of(ZoneId.of("Asia/Tokyo")), p.recipientZones());
  }

  @Test
  void quietHoursDoNotApplyToEmail() {
    Preview p = previewer().preview(email("maria@example.com", "opted-in", vars()));
    assertEquals(Gate.Result.pass, gate(p, Gate.QUIET_HOURS).result());
    assertNull(p.nextAllowedAt());
  }

  @Test
  void aFailingGateWinsOverDeferral() {
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "implied", vars(), TEN_PM_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertNull(p.nextAllowedAt());
  }

  // ------------------------------------------------------------------ header safety

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"\r\nBcc: all@example.com", "\n", "\t", "\u0000", "\u001b[2J", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029"})
  void aControlCharacterInAVariableBoundForTheSubjectFailsHeaderSafety(String c) {
    Map<String, String> v = vars();
    v.put("order_number", "30020" + c);
    Preview p = previewer().preview(email("maria@example.com", "opted-in", v));
    assertEquals(Preview.Verdict.blocked, p.verdict(), p.gates()::toString);
    Gate g = gate(p, Gate.HEADER_SAFETY);
    assertEquals(Gate.Result.fail, g.result());
    String code = String.format("U+%04X", c.codePointAt(0));
    assertTrue(g.reason().contains("the subject holds " + code), g::reason);
    assertTrue(g.reason().contains("from variable order_number (character 6 of its value)"), g::reason);
    assertTrue(g.reason().chars().noneMatch(ch -> ch < 0x20), "the reason itself is printable: " + g.reason());
  }

  @Test
  void aLineBreakInTheBodyIsNotAHeaderProblem() {
    Map<String, String> v = vars();
    v.put("customer_name", "Ana\r\nBcc: x@example.com");
    Preview p = previewer().preview(email("maria@example.com", "opted-in", v));
    assertEquals(Gate.Result.pass, gate(p, Gate.HEADER_SAFETY).result(), gate(p, Gate.HEADER_SAFETY)::reason);
    assertEquals(Gate.Result.pass, gate(previewer().preview(sms(CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO)), Gate.HEADER_SAFETY).result());
  }

  // ------------------------------------------------------------------ STOP footer

  @Test
  void footerIsPresentAlreadyOrNotNeededForEmail() {
    Map<String, String> v = vars();
    v.put("payment_link", "https://example.com/pay. Reply STOP to opt out.");
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertTrue(gate(p, Gate.STOP_FOOTER).reason().startsWith("present"), gate(p, Gate.STOP_FOOTER)::reason);
    assertTrue(p.body().endsWith("https://example.com/pay. Reply STOP to opt out."), p::body);
    Preview appended = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO));
    assertTrue(gate(appended, Gate.STOP_FOOTER).reason().startsWith("appended"));
    Preview mail = previewer().preview(email("maria@example.com", "opted-in", vars()));
    assertTrue(!mail.body().contains("Reply STOP"), mail::body);
  }

  // ------------------------------------------------------------------ template residue and rendering

  @Test
  void valueWithMustacheBracesFailsResidue() {
    Map<String, String> v = vars();
    v.put("customer_name", "{{customer_name}}");
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertEquals(Gate.Result.fail, gate(p, Gate.TEMPLATE_RESIDUE).result());
    assertTrue(p.body().startsWith("Hi {{customer_name}},"), p::body);
    assertEquals(Gate.Result.pass, gate(previewer().preview(sms(CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO)), Gate.TEMPLATE_RESIDUE).result());
  }

  @Test
  void missingVariableIsAUsageErrorNamingIt() {
    Map<String, String> v = vars();
    v.remove("payment_link");
    CommsException e = assertThrows(CommsException.class, () -> previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO)));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("payment_link") && e.getMessage().contains("payment_needed.sms"), e::getMessage);
  }

  @Test
  void undeclaredInputIsReported() {
    Map<String, String> v = vars();
    v.put("coupon", "SAVE10");
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(List.of("coupon"), p.undeclaredVars());
    assertEquals(Preview.Verdict.allowed, p.verdict());
  }

  @Test
  void emailHtmlIsEscapedAndTextIsNot() {
    Map<String, String> v = vars();
    v.put("customer_name", "Tom & <Jerry>");
    Preview p = previewer().preview(email("maria@example.com", "opted-in", v));
    assertTrue(p.body().startsWith("Hi Tom & <Jerry>,"), p::body);
    assertTrue(p.html().contains("Hi Tom &amp; &lt;Jerry&gt;,"), p::html);
    assertEquals("Order 30020: balance due $150.00", p.subject());
    assertNull(p.sms());
    assertEquals("resend", p.provider());
  }

  // ------------------------------------------------------------------ length

  @Test
  void emojiFlipsTheBodyToUcs2() {
    Map<String, String> v = vars();
    v.put("customer_name", "Ana \uD83D\uDE00");
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(SmsSegments.UCS_2, p.sms().encoding());
    // 122 code units with the footer: two UCS-2 segments, still within 3
    assertEquals(2, p.sms().segments());
    assertEquals(Gate.Result.pass, gate(p, Gate.LENGTH).result());
    assertTrue(gate(p, Gate.LENGTH).reason().contains("UCS-2"));
  }

  @Test
  void tooManySegmentsBlocks() {
    Map<String, String> v = vars();
    v.put("customer_name", "x".repeat(400));
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    assertEquals(4, p.sms().segments());
    assertTrue(gate(p, Gate.LENGTH).reason().contains("maximum of 3"), gate(p, Gate.LENGTH)::reason);
  }

  @Test
  void segmentsAreCountedAfterTheFooter() {
    // body without footer fits one segment (160), the appended footer pushes it to two
    Map<String, String> v = vars();
    Preview base = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    int room = 160 - (base.body().length() - " Reply STOP to opt out.".length());
    v.put("customer_name", "Test" + "y".repeat(room - 4));
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(2, p.sms().segments());
  }

  // ------------------------------------------------------------------ forbidden patterns

  @Test
  void forbiddenPatternsBlockNamingThePattern() {
    Map<String, String> v = vars();
    v.put("order_number", "4111 1111 1111 1111");
    Preview p = previewer().preview(sms(CHICAGO_NUMBER, "opted-in", v, NOON_CHICAGO));
    assertEquals(Preview.Verdict.blocked, p.verdict());
    Gate g = gate(p, Gate.FORBIDDEN_PATTERNS);
    assertTrue(g.reason().contains("card-number") && g.reason().contains("card data"), g::reason);
    Map<String, String> w = vars();
    w.put("payment_link", "password: hunter2");
    Preview q = previewer().preview(email("maria@example.com", "opted-in", w));
    assertTrue(gate(q, Gate.FORBIDDEN_PATTERNS).reason().contains("password"));
  }

  // ------------------------------------------------------------------ routing

  @Test
  void unknownMessageTypeListsTheKnownOnes() {
    PreviewRequest r = new PreviewRequest("sms", "invoice_overdue", CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO, null, false);
    CommsException e = assertThrows(CommsException.class, () -> previewer().preview(r));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("payment_needed, order_ready, proof_ready, shipping_update"), e::getMessage);
  }

  static final Source ROUTE = new Source(DeliveryContract.FILE, 9, 9, "message_types[0].routes[0]");

  static Previewer with(DeliveryContract.Route route) {
    DeliveryContract d =
        new DeliveryContract(
            ROUTE, "simulation", ROUTE, List.of(new DeliveryContract.MessageType(ROUTE, "only_sms", "", List.of(route))), new DeliveryContract.Retry(5, 500, 30000));
    return new Previewer(d, BINDINGS.providers(), BINDINGS.templates(), BINDINGS.policy(), ConsentRecords.NONE, SuppressionList.NONE);
  }

  @Test
  void channelWithoutARouteIsAUsageError() {
    Previewer pv = with(new DeliveryContract.Route(ROUTE, "sms", "twilio", "payment_needed.sms"));
    PreviewRequest r = new PreviewRequest("email", "only_sms", "maria@example.com", "opted-in", vars(), NOON_CHICAGO, null, false);
    CommsException e = assertThrows(CommsException.class, () -> pv.preview(r));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("no email route") && e.getMessage().contains("only_sms"), e::getMessage);
  }

  @Test
  void routeToAMissingProviderOrTemplateIsAContractErrorAtTheRoute() {
    PreviewRequest r = new PreviewRequest("sms", "only_sms", CHICAGO_NUMBER, "opted-in", vars(), NOON_CHICAGO, null, false);
    CommsException noProvider = assertThrows(CommsException.class, () -> with(new DeliveryContract.Route(ROUTE, "sms", "carrier-pigeon", "payment_needed.sms")).preview(r));
    assertEquals(ExitCode.CONTRACT, noProvider.exitCode());
    assertTrue(noProvider.getMessage().contains(DeliveryContract.FILE + ":9") && noProvider.getMessage().contains("carrier-pigeon"), noProvider::getMessage);
    CommsException noTemplate = assertThrows(CommsException.class, () -> with(new DeliveryContract.Route(ROUTE, "sms", "twilio", "nope.sms")).preview(r));
    assertEquals(ExitCode.CONTRACT, noTemplate.exitCode());
    assertTrue(noTemplate.getMessage().contains("nope.sms"), noTemplate::getMessage);
  }

  @Test
  void templatePlaceholderMissingFromTheCatalogIsAContractError() {
    TemplatesCatalog.Template bad =
        new TemplatesCatalog.Template(new Source(TemplatesCatalog.FILE, 7, 5, "templates[0]"), "odd.sms", "odd", "sms", List.of("a"), null, "{{a}} {{b}}", null);
    TemplatesCatalog cat = new TemplatesCatalog(new Source(TemplatesCatalog.FILE, 1, 1, ""), List.of(bad));
    DeliveryContract.Route route = new DeliveryContract.Route(ROUTE, "sms", "twilio", "odd.sms");
    DeliveryContract d =
        new DeliveryContract(ROUTE, "simulation", ROUTE, List.of(new DeliveryContract.MessageType(ROUTE, "odd", "", List.of(route))), new DeliveryContract.Retry(5, 500, 30000));
    Previewer pv = new Previewer(d, BINDINGS.providers(), cat, BINDINGS.policy(), ConsentRecords.NONE, SuppressionList.NONE);
    PreviewRequest r = new PreviewRequest("sms", "odd", CHICAGO_NUMBER, "opted-in", Map.of("a", "1", "b", "2"), NOON_CHICAGO, null, false);
    CommsException e = assertThrows(CommsException.class, () -> pv.preview(r));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains(TemplatesCatalog.FILE + ":7") && e.getMessage().contains("{{b}}"), e::getMessage);
  }
}
