package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.send.Previewer;
import comms.core.snippet.SnippetService;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.SnippetStore;
import comms.core.store.SnippetStore.SnippetVersion;
import comms.core.store.StageSendStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages that pin a snippet version: refused at create unless usable by the owner, rows checked against it at add time, sent through the governed path. */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class SnippetStageTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = SequenceFixture.BINDINGS;
  static final Path SCHEMAS = Path.of("..", "bindings", "schemas").toAbsolutePath().normalize();
  static final Instant MONDAY_10_NY = SequenceFixture.MONDAY_10_NY;
  static final String DANA = SequenceFixture.DANA; // admin
  static final String SAM = SequenceFixture.SAM;

  @TempDir Path outbox;
  @TempDir Path dir;
  SequenceFixture f;
  final List<Dispatch> sent = new ArrayList<>();

  @BeforeEach
  void open() {
    f = new SequenceFixture(outbox, backend);
    f.bodies = bodies();
    f.providers = (provider, live) -> new Provider() {
      @Override
      public String name() {
        return provider.name();
      }

      @Override
      public DispatchResult send(Dispatch d) {
        sent.add(d);
        return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
      }
    };
  }

  @AfterEach
  void close() {
    f.close();
  }

  SnippetService snippets() {
    return new SnippetService(SnippetStore.of(f.store), f.clock);
  }

  StageBodies bodies() {
    return StageBodies.of(BINDINGS.templates(), snippets());
  }

  SnippetVersion snippet(String who, String channel, String subject, String body, boolean shared, String... vars) {
    return snippets().create(f.as(who), new SnippetService.Draft("Offer", channel, subject, body, "offer.txt", shared, List.of(vars)), f.audit(who));
  }

  /** The sequence file with one email stage pinning {@code ref} (line 5), loaded for {@code actingOwner}. */
  SequenceService.Draft load(String ref, String actingOwner) throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("s.sequence.yaml"),
            "name: Offer\nzone: America/New_York\nstages:\n  - medium: email\n    snippet: " + ref + "\n    message_type: welcome_intro\n");
    return SequenceFile.load(f, SCHEMAS, BINDINGS.templates(), SequenceRules.DEFAULTS, snippets(), actingOwner);
  }

  ContractException refused(String ref, String actingOwner, String words) {
    ContractException e = assertThrows(ContractException.class, () -> load(ref, actingOwner));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().startsWith(dir.resolve("s.sequence.yaml") + ":5:"), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
    return e;
  }

  @Test
  void aSharedVersionIsRefusedUntilAnotherOperatorCoSignsIt() throws IOException {
    SnippetVersion v1 = snippet(DANA, "email", "An offer for {{company}}", "Hi {{first_name}}, here is our offer.", true, "first_name", "company");
    refused(v1.ref(), SAM, "shared but not co-signed");
    refused(v1.ref(), DANA, "shared but not co-signed");
    snippets().cosign(f.as(SAM), v1.ref(), f.audit(SAM));
    SequenceService.Draft d = load(v1.ref(), SAM);
    assertEquals(v1.ref(), d.plan().stage(1).snippet());
    assertEquals("welcome_intro", d.plan().stage(1).messageType());
    assertEquals(d.plan(), SequencePlan.fromJson(d.plan().toJson()), "the pin survives the f.store");
    SnippetVersion v2 = snippets().edit(f.as(DANA), v1.id(), new SnippetService.Draft(null, null, null, "New offer for {{first_name}}.", "o.txt", null, null), f.audit(DANA));
    refused(v2.ref(), SAM, "not co-signed");
    load(v1.ref(), SAM);
  }

  @Test
  void aPrivateVersionIsUsableOnlyInItsOwnersSequences() throws IOException {
    SnippetVersion mine = snippet(SAM, "email", "Offer", "Hi {{first_name}}.", false, "first_name");
    assertEquals(mine.ref(), load(mine.ref(), SAM).plan().stage(1).snippet());
    refused(mine.ref(), DANA, "private to " + SAM);
    refused(mine.id() + "@9", SAM, "there is no snippet version");
    SnippetVersion text = snippet(SAM, "sms", null, "Hi {{first_name}}.", false, "first_name");
    refused(text.ref(), SAM, "is an sms snippet but this stage goes out by email");
  }

  @Test
  void addingRecipientsChecksEachRowAgainstThePinnedVersionsVariables() throws IOException {
    SnippetVersion v = snippet(SAM, "email", "Offer for {{company}}", "Hi {{first_name}}, {{plan_name}} is ready.", false, "first_name", "company", "plan_name");
    SequenceRow seq = f.service().create(f.as(SAM), load(v.ref(), SAM), f.audit(SAM));
    Enrollment enrollment = f.enrollment();
    Enrollment.Result r =
        enrollment.add(f.as(SAM), seq,
            List.of(
                new Enrollment.RecipientInput(2, "ok@example.com", null, null, Map.of("first_name", "Ana", "company", "Acme", "plan_name", "Pro")),
                new Enrollment.RecipientInput(3, "lack@example.com", null, null, Map.of("first_name", "Bo", "company", "Bco"))),
            null, false, false, f.audit(SAM));
    assertEquals(List.of("ok@example.com"), r.accepted().stream().map(Enrollment.Accepted::email).toList());
    assertEquals(List.of("missing_variable:plan_name"), r.rejected().stream().map(Enrollment.Rejected::reason).toList());
  }

  @Test
  void theWorkerSendsTheSnippetThroughTheGovernedPathAndItsGates() throws IOException {
    SnippetVersion v = snippet(SAM, "email", "An offer for {{company}}", "Hi {{first_name}},\n\nyour offer for {{company}} is ready.\n", false, "first_name", "company");
    SnippetVersion leak = snippet(SAM, "email", "Access", "Hi {{first_name}}, password: hunter2", false, "first_name");
    SequenceService service = f.service();
    Enrollment enrollment = f.enrollment();
    SequenceRow good = service.create(f.as(SAM), load(v.ref(), SAM), f.audit(SAM));
    SequenceRow bad = service.create(f.as(SAM), load(leak.ref(), SAM), f.audit(SAM));
    enrollment.add(f.as(SAM), good, List.of(new Enrollment.RecipientInput(2, "ana@example.com", null, null, Map.of("first_name", "Ana", "company", "Acme"))),
        null, true, false, f.audit(SAM));
    enrollment.add(f.as(SAM), bad, List.of(new Enrollment.RecipientInput(2, "bo@example.com", null, null, Map.of("first_name", "Bo", "company", "B"))),
        null, true, false, f.audit(SAM));
    service.launch(f.as(SAM), good.id(), 1, null, SequenceService.Gate.NONE, f.audit(SAM));
    service.launch(f.as(SAM), bad.id(), 1, null, SequenceService.Gate.NONE, f.audit(SAM));

    SequenceWorker.Summary s = worker().pass(100);

    assertEquals(1, s.sent(), s.toString());
    assertEquals(1, sent.size());
    Dispatch d = sent.get(0);
    assertEquals("ana@example.com", d.to());
    assertEquals("An offer for Acme", d.subject());
    assertTrue(d.text().startsWith("Hi Ana,\n\nyour offer for Acme is ready."), d.text());
    List<DeliveryRecord> log = DeliveryJournal.of(new OutboxPaths(outbox), f.notes::add).newest(100, DeliveryJournal.Filter.ALL).entries();
    DeliveryRecord line = log.stream().filter(l -> good.id().equals(l.sequenceId())).findFirst().orElseThrow();
    assertEquals("welcome_intro", line.messageType(), "the stage went out by its route's provider");
    assertEquals(Integer.valueOf(1), line.stage());
    DeliveryRecord blocked = log.stream().filter(l -> bad.id().equals(l.sequenceId())).findFirst().orElseThrow();
    assertEquals("blocked", blocked.status(), "the forbidden-patterns gate holds a snippet as it holds a template");
    assertFalse(sent.stream().anyMatch(x -> x.text().contains("hunter2")));
    assertEquals("blocked", StageSendStore.of(f.store).inSequence(bad.id()).get(0).state());
  }

  @Test
  void thePreviewerGatesASnippetBodyLikeATemplate() {
    SnippetVersion text = snippet(SAM, "sms", null, "Hi {{first_name}}, your order is ready.", false, "first_name");
    Previewer previewer = Previewer.from(BINDINGS, f.store::consentState, f.store::suppressionMatch);
    comms.core.send.Preview p =
        previewer.preview(new comms.core.send.PreviewRequest("sms", "welcome_nudge", "+13125550142", "opted-in", Map.of("first_name", "Ana"), MONDAY_10_NY,
            null, false, SnippetService.template(text, "welcome_nudge")));
    assertEquals("snippet:" + text.ref(), p.templateId());
    assertTrue(p.body().startsWith("Hi Ana, your order is ready.") && p.body().contains("Reply STOP to opt out."), p.body());
    comms.core.send.Preview residue =
        previewer.preview(new comms.core.send.PreviewRequest("sms", "welcome_nudge", "+13125550142", "opted-in", Map.of("first_name", "{{x}}"), MONDAY_10_NY,
            null, false, SnippetService.template(text, "welcome_nudge")));
    assertEquals(comms.core.send.Preview.Verdict.blocked, residue.verdict(), "the residue gate holds a snippet body too");
    comms.core.CommsException wrong =
        assertThrows(comms.core.CommsException.class, () -> previewer.preview(new comms.core.send.PreviewRequest("email", "welcome_intro", "a@example.com",
            "implied", Map.of("first_name", "Ana"), MONDAY_10_NY, null, false, SnippetService.template(text, "welcome_intro"))));
    assertEquals(ExitCode.CONTRACT, wrong.exitCode());
  }

  SequenceWorker worker() {
    return f.worker("w1", SendingHours.ALWAYS);
  }
}
