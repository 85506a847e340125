package comms.core.snippet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.outbox.OutboxPaths;
import comms.core.store.AuditLog;
import comms.core.store.Roster;
import comms.core.store.SnippetStore;
import comms.core.store.SnippetStore.SnippetVersion;
import comms.core.store.Store;
import comms.core.json.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet library: versions that never change, declared variables, co-signs by a second operator, visibility and ranked search. */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class SnippetServiceTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");
  static final String DANA = "dana@lakesideprint.com"; // admin
  static final String SAM = "sam@lakesideprint.com";
  static final String LEE = "lee@lakesideprint.com";

  @TempDir Path outbox;
  Store store;
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeEach
  void open() {
    store = backend.open(new OutboxPaths(outbox).store());
    roster().add(new Roster.Operator(LEE, "Lee Park", "operator", 1000, 30, true, Roster.FROM_ADD, true), NOW);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Roster roster() {
    return Roster.of(store, BINDINGS.operators());
  }

  Identity as(String who) {
    return Identity.resolve(roster(), who, null, null, "tester");
  }

  AuditTrail audit(String who) {
    return new AuditTrail(store, roster(), as(who), "run-test", clock);
  }

  SnippetService service() {
    return new SnippetService(SnippetStore.of(store), clock);
  }

  static SnippetService.Draft email(String name, String subject, String body, boolean shared, String... vars) {
    return new SnippetService.Draft(name, "email", subject, body, "intro.txt", shared, List.of(vars));
  }

  SnippetVersion create(String who, SnippetService.Draft d) {
    return service().create(as(who), d, audit(who));
  }

  @Test
  void threeEditsMakeAChainOfFourVersionsAndNoneIsEverChanged() {
    SnippetVersion v1 = create(SAM, email("Intro", "Hello {{first_name}}", "Hi {{first_name}}, welcome.", false, "first_name"));
    assertEquals(1, v1.version());
    assertNull(v1.parentId());
    SnippetVersion last = v1;
    for (int i = 2; i <= 4; i++) {
      last = service().edit(as(SAM), v1.id(), new SnippetService.Draft(null, null, null, "Body " + i + " for {{first_name}}", "b.txt", null, null), audit(SAM));
      assertEquals(i, last.version());
      assertEquals(v1.id() + "@" + (i - 1), last.parentId());
    }
    List<SnippetVersion> history = service().show(as(SAM), v1.id()).history();
    assertEquals(List.of(1, 2, 3, 4), history.stream().map(SnippetVersion::version).toList());
    assertEquals("Hi {{first_name}}, welcome.", service().show(as(SAM), v1.id() + "@1").version().body(), "version 1 stays readable as written");
    assertEquals("Body 4 for {{first_name}}", service().show(as(SAM), v1.id()).version().body());
    assertEquals("Hello {{first_name}}", last.subject(), "an edit keeps what it does not change");
  }

  @Test
  void theStoreItselfRefusesChangingARowOrBreakingTheChain() throws SQLException {
    SnippetVersion v1 = create(SAM, email("Intro", "Hello", "Hi there.", false));
    store.close();
    try (Connection c = backend.connect(new OutboxPaths(outbox).store());
        Statement st = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE snippet_versions SET body = 'x'"));
      assertTrue(update.getMessage().contains("immutable"), update.getMessage());
      assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM snippet_versions"));
      SQLException skip =
          assertThrows(
              SQLException.class,
              () -> st.executeUpdate(
                  "INSERT INTO snippet_versions (id, version, parent_id, owner, author, name, channel, subject, body, variables_json, shared, created_at)"
                      + " VALUES ('" + v1.id() + "', 3, '" + v1.id() + "@2', '" + SAM + "', '" + SAM + "', 'n', 'email', 's', 'b', '[]', 0, 'x')"));
      assertTrue(skip.getMessage().contains("parent_id"), skip.getMessage());
    }
  }

  @Test
  void anUndeclaredVariableIsRefusedWithItsNameAndLineAndNothingIsWritten() {
    ContractException e =
        assertThrows(
            ContractException.class,
            () -> create(SAM, email("Renewal", "Your plan", "Hi {{first_name}},\n\nyour {{ plan_name }} renews soon.\n", false, "first_name")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().startsWith("intro.txt:3:6"), e.getMessage());
    assertTrue(e.getMessage().contains("{{plan_name}}") && e.getMessage().contains("--variables"), e.getMessage());
    ContractException subject = assertThrows(ContractException.class, () -> create(SAM, email("Renewal", "For {{company}}", "Hi.", false)));
    assertTrue(subject.getMessage().startsWith("--subject:1:5"), subject.getMessage());
    SnippetVersion ok = create(SAM, email("Renewal", "Your plan", "Hi {{first_name}}", false, "first_name"));
    ContractException edit =
        assertThrows(ContractException.class, () -> service().edit(as(SAM), ok.id(), new SnippetService.Draft(null, null, null, "{{#vip}}x{{/vip}}", "e.txt", null, null), audit(SAM)));
    assertTrue(edit.getMessage().startsWith("e.txt:1:1") && edit.getMessage().contains("vip"), edit.getMessage());
    assertEquals(1, SnippetStore.of(store).latestAll().size());
    assertEquals(1, SnippetStore.of(store).history(ok.id()).size());
  }

  @Test
  void anUnclosedPlaceholderIsRefusedAtItsLineAndNothingIsWritten() {
    ContractException e =
        assertThrows(ContractException.class, () -> create(SAM, email("Renewal", "Your plan", "Hi {{first_name}},\nsee {{first_name, soon.\n", false, "first_name")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().startsWith("intro.txt:2:5") && e.getMessage().contains("not a complete placeholder"), e.getMessage());
    assertEquals(0, SnippetStore.of(store).latestAll().size());
  }

  @Test
  void aSharedVersionIsCoSignedOnlyByAnotherOperatorAndAnEditNeedsANewOne() {
    SnippetVersion v1 = create(DANA, email("Pricing", "Our prices", "Prices for {{company}}", true, "company"));
    CommsException self = assertThrows(CommsException.class, () -> service().cosign(as(DANA), v1.ref(), audit(DANA)));
    assertEquals(ExitCode.POLICY, self.exitCode());
    assertTrue(self.getMessage().contains("cannot co-sign"), self.getMessage());
    assertEquals("self_cosign", service().cosignRefusal(as(DANA), v1.ref()).orElseThrow().code());
    assertNull(SnippetStore.of(store).find(v1.id(), 1).orElseThrow().cosignedBy());
    Identity agent = Identity.resolve(roster(), SAM, null, "agent:claude", "tester");
    assertEquals("agent_cosign", service().cosignRefusal(agent, v1.ref()).orElseThrow().code());

    assertEquals(SAM, service().cosign(as(SAM), v1.ref(), audit(SAM)).cosignedBy());
    assertEquals("already_cosigned", service().cosignRefusal(as(LEE), v1.ref()).orElseThrow().code());

    SnippetVersion v2 = service().edit(as(DANA), v1.id(), new SnippetService.Draft(null, null, null, "New prices for {{company}}", "p.txt", null, null), audit(DANA));
    assertNull(v2.cosignedBy(), "an edit is a new version and needs its own co-sign");
    assertEquals(SAM, SnippetStore.of(store).find(v1.id(), 1).orElseThrow().cosignedBy());

    SnippetVersion mine = create(SAM, email("Mine", "s", "b", false));
    assertEquals("private_snippet", service().cosignRefusal(as(DANA), mine.ref()).map(r -> r.code()).orElse("none"), "a private snippet needs no co-sign");
    assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> service().cosignRefusal(as(LEE), mine.ref())).exitCode(), "nor can others see it");
  }

  @Test
  void aPrivateSnippetIsInvisibleToAnotherOperatorAndReadableByAnAdmin() {
    SnippetVersion secret = create(SAM, email("Renewal secret", "Renewal", "renewal terms", false));
    SnippetVersion shared = create(SAM, email("Renewal shared", "Renewal", "renewal terms", true));
    assertEquals(List.of(shared.id()), service().list(as(LEE), false, false).stream().map(SnippetVersion::id).toList());
    assertEquals(List.of(shared.id()), service().search(as(LEE), "renewal", 0).stream().map(h -> h.version().id()).toList());
    CommsException show = assertThrows(CommsException.class, () -> service().show(as(LEE), secret.id()));
    assertEquals(ExitCode.USAGE, show.exitCode());
    assertFalse(show.getMessage().contains("Renewal secret"), show.getMessage());
    assertThrows(CommsException.class, () -> service().show(as(LEE), secret.ref()));
    CommsException edit = assertThrows(CommsException.class, () -> service().edit(as(LEE), shared.id(), new SnippetService.Draft("x", null, null, null, null, null, null), audit(LEE)));
    assertEquals(ExitCode.POLICY, edit.exitCode());
    assertEquals(2, service().list(as(DANA), false, false).size(), "an admin reads every snippet");
    assertEquals(2, service().search(as(DANA), "renewal", 0).size());
    assertEquals(List.of(shared.id()), service().list(as(SAM), true, true).stream().map(SnippetVersion::id).toList());
    assertEquals(0, service().list(as(DANA), false, true).size());
    create(SAM, email("Renewal renewal", "Renewal", "renewal renewal", false));
    SnippetVersion far = create(DANA, email("Other", "Hi", "a long body that mentions a renewal once among many other words", true));
    assertEquals(List.of(shared.id(), far.id()), service().search(as(LEE), "renewal", 2).stream().map(h -> h.version().id()).toList(),
        "better-ranked private snippets of others take no place in the results");
  }

  @Test
  void searchRanksANameHitOverASubjectHitOverABodyHitAndSearchesOnlyLatestVersions() {
    SnippetVersion body = create(SAM, email("Welcome", "Hello", "A word about invoices and invoicing.", true));
    SnippetVersion subject = create(SAM, email("Follow up", "Your invoice", "Just checking in.", true));
    SnippetVersion name = create(SAM, email("Invoice reminder", "Reminder", "Please pay.", true));
    create(SAM, email("Unrelated", "Hi", "Nothing here.", true));
    assertEquals(List.of(name.id(), subject.id(), body.id()), service().search(as(LEE), "invoice", 0).stream().map(h -> h.version().id()).toList());
    assertEquals(List.of(name.id()), service().search(as(LEE), "invoice remind", 0).stream().map(h -> h.version().id()).toList(), "every word, each as a prefix");
    service().edit(as(SAM), body.id(), new SnippetService.Draft(null, null, null, "Nothing about money.", "b.txt", null, null), audit(SAM));
    assertEquals(List.of(name.id(), subject.id()), service().search(as(LEE), "invoice", 0).stream().map(h -> h.version().id()).toList(),
        "an old version's words no longer find the snippet");
    assertEquals(1, service().search(as(LEE), "invoice", 1).size());
    assertEquals(List.of(), service().search(as(LEE), "\"AND OR NEAR(", 0).stream().map(h -> h.version().id()).toList(), "operators are words, never syntax");
    assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> service().search(as(LEE), " ,; ", 0)).exitCode());
  }

  @Test
  void auditRowsCarryNoBodyTextOrNames() {
    SnippetVersion v = create(DANA, email("Pricing for Acme", "Our prices", "Confidential price list", true));
    service().cosign(as(SAM), v.ref(), audit(SAM));
    List<AuditLog.Entry> rows = AuditLog.of(store).newest(new AuditLog.Query(10, null, null, null));
    assertEquals(List.of("snippet.cosign", "snippet.create"), rows.stream().map(AuditLog.Entry::action).filter(a -> a.startsWith("snippet.")).toList());
    for (AuditLog.Entry e : rows) {
      String payload = Json.write(e.payload());
      assertFalse(payload.contains("Confidential") || payload.contains("Acme") || payload.contains("Our prices"), payload);
    }
    assertEquals(v.id(), rows.get(0).resourceId());
    assertEquals(1, ((Number) rows.get(0).payload().get("version")).intValue());
  }

  @Test
  void badDraftsAreRefusedAsBadInput() {
    assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> create(SAM, email("x", null, "b", false))).exitCode());
    assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> create(SAM, email("x", "s", "b", false, "first-name"))).exitCode());
    assertEquals(ExitCode.USAGE, assertThrows(CommsException.class, () -> create(SAM, email("x", "s", "b", false, "a", "a"))).exitCode());
    assertEquals(ExitCode.USAGE,
        assertThrows(CommsException.class, () -> create(SAM, new SnippetService.Draft("x", "sms", "subj", "b", "f", false, List.of()))).exitCode());
    assertEquals(ExitCode.CONTRACT,
        assertThrows(CommsException.class, () -> create(SAM, new SnippetService.Draft("x", "sms", null, "{{>other}}", "f", false, List.of()))).exitCode());
    assertEquals(0, SnippetStore.of(store).latestAll().size());
  }
}
