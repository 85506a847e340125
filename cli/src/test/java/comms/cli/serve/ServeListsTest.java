package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippet, consent and suppression endpoints through real HTTP: each does what its command does
 * (the same service, refusals and audit rows), a dry run changes nothing, unknown fields are refused.
 */
class ServeListsTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static String sam;
  static String dana;

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
    sam = f.token(ServeFixture.OPERATOR);
    dana = f.token(ServeFixture.ADMIN);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Map<String, Object> snippet(String name, boolean shared) {
    return Map.of("name", name, "channel", "email", "subject", "Your renewal, {{first_name}}", "body", "Hi {{first_name}}, your {{plan_name}} renews soon.",
        "variables", List.of("first_name", "plan_name"), "shared", shared);
  }

  @Test
  void snippetsAreCreatedEditedSearchedAndCosignedAsByTheCommands() {
    ServeFixture.Answer made = f.post("/api/snippets", dana, snippet("Renewal Notice", true));
    assertEquals(201, made.status(), made::toString);
    assertEquals("renewal_notice", made.json().get("id"), made::toString);
    assertEquals(1L, made.json().get("version"));
    ServeFixture.Answer edited = f.post("/api/snippets/renewal_notice/versions", dana, Map.of("subject", "Renewing soon, {{first_name}}"));
    assertEquals(201, edited.status(), edited::toString);
    assertEquals(2L, edited.json().get("version"));
    assertEquals("renewal_notice@1", edited.json().get("parent_id"));
    // the CLI sees what the API wrote
    String shown = f.ok(null, "snippet.show", "renewal_notice@1", "--as", ServeFixture.OPERATOR, "--output", "json");
    assertTrue(shown.contains("\"subject\": \"Your renewal, {{first_name}}\""), shown);

    ServeFixture.Answer hits = f.get("/api/snippets?q=renew", sam);
    assertEquals(200, hits.status(), hits::toString);
    assertEquals("renew", hits.json().get("query"));
    List<?> h = (List<?>) hits.json().get("hits");
    assertEquals(1, h.size(), hits::toString);
    assertEquals("renewal_notice@2", ((Map<?, ?>) h.get(0)).get("ref"), hits::toString);
    assertEquals(0, ((List<?>) f.get("/api/snippets?q=nothingmatches", sam).json().get("hits")).size());
    assertEquals(400, f.get("/api/snippets?q=renew&limit=0", sam).status());
    ServeFixture.Answer one = f.get("/api/snippets/renewal_notice", sam);
    assertEquals(200, one.status(), one::toString);
    assertEquals(2, ((List<?>) one.json().get("history")).size(), one::toString);

    // its author cannot co-sign it (refused and audited), another operator can
    ServeFixture.Answer own = f.post("/api/snippets/renewal_notice@2/cosign", dana, Map.of());
    assertEquals(403, own.status(), own::toString);
    assertEquals("policy", own.error().get("code"), own::toString);
    String refusedRow = f.ok(null, "audit", "--as", ServeFixture.ADMIN, "--action", "snippet.cosign", "--output", "json");
    assertTrue(refusedRow.contains("\"outcome\": \"refused\""), refusedRow);
    ServeFixture.Answer signed = f.post("/api/snippets/renewal_notice@2/cosign", sam, Map.of());
    assertEquals(200, signed.status(), signed::toString);
    assertEquals(ServeFixture.OPERATOR, signed.json().get("cosigned_by"), signed::toString);
  }

  @Test
  void aSnippetIsRefusedLikeTheCommandRefusesIt() {
    Map<String, Object> bad = new java.util.LinkedHashMap<>(snippet("Leaky", false));
    bad.put("body", "Hi {{first_name}}, your {{secret_code}}.");
    ServeFixture.Answer undeclared = f.post("/api/snippets", sam, bad);
    assertEquals(422, undeclared.status(), undeclared::toString);
    assertTrue(((String) undeclared.error().get("message")).contains("secret_code"), undeclared::toString);
    Map<String, Object> extra = new java.util.LinkedHashMap<>(snippet("Extra", false));
    extra.put("colour", "blue");
    ServeFixture.Answer unknown = f.post("/api/snippets", sam, extra);
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown_field", unknown.error().get("code"));
    ServeFixture.Answer missing = f.post("/api/snippets", sam, Map.of("name", "Half"));
    assertEquals(400, missing.status(), missing::toString);
    // a private snippet of another operator is not there for sam
    assertEquals(201, f.post("/api/snippets", dana, snippet("Dana Private", false)).status());
    assertEquals(0, ((List<?>) f.get("/api/snippets?q=private", sam).json().get("hits")).size());
    ServeFixture.Answer other = f.get("/api/snippets/dana_private", sam);
    assertEquals(404, other.status(), other::toString);
    assertEquals("not_found", other.error().get("code"));
  }

  @Test
  void aSuppressionAddedOverTheApiBlocksTheAddAndIsLifted() {
    ServeFixture.Answer dry = f.post("/api/suppressions", sam, Map.of("domain", "Stop.Example.com", "reason", "asked us to stop", "dry_run", true));
    assertEquals(200, dry.status(), dry::toString);
    assertEquals(false, dry.json().get("changed"), dry::toString);
    assertFalse(f.ok(null, "suppression.list", "--as", ServeFixture.ADMIN).contains("stop.example.com"), "a dry run writes nothing");
    ServeFixture.Answer added = f.post("/api/suppressions", sam, Map.of("domain", "Stop.Example.com", "reason", "asked us to stop"));
    assertEquals(200, added.status(), added::toString);
    assertEquals(true, added.json().get("changed"), added::toString);
    assertEquals("stop.example.com", added.json().get("value"), added::toString);
    String id = f.draftWith(ServeFixture.OPERATOR, "Suppressed Add", 0);
    ServeFixture.Answer add = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", List.of(Map.of("email", "a@stop.example.com", "first_name", "A", "company", "C"))));
    assertTrue(add.body().contains("suppressed:domain"), add::body);
    String audit = f.ok(null, "audit", "--as", ServeFixture.OPERATOR, "--action", "suppression.add", "--output", "json");
    assertTrue(audit.contains("\"actor\": \"api\"") && audit.contains("sha256:") && !audit.contains("stop.example.com"), audit);
    ServeFixture.Answer lifted = f.post("/api/suppressions/remove", sam, Map.of("domain", "stop.example.com", "reason", "asked to hear from us"));
    assertEquals(true, lifted.json().get("changed"), lifted::toString);
    ServeFixture.Answer none = f.post("/api/suppressions/remove", sam, Map.of("domain", "stop.example.com"));
    assertEquals(false, none.json().get("changed"), none::toString);

    ServeFixture.Answer both = f.post("/api/suppressions", sam, Map.of("domain", "x.example.com", "address", "a@x.example.com", "reason", "r"));
    assertEquals(400, both.status(), both::toString);
    assertTrue(((String) both.error().get("message")).contains("exactly one of \"address\" or \"domain\""), both::toString);
    ServeFixture.Answer bad = f.post("/api/suppressions", sam, Map.of("address", "a@@example.com", "reason", "r"));
    assertEquals(400, bad.status(), bad::toString);
    assertTrue(((String) bad.error().get("message")).startsWith("\"address\" a@@example.com"), bad::toString);
    ServeFixture.Answer noReason = f.post("/api/suppressions", sam, Map.of("address", "a@example.com", "reason", " "));
    assertEquals(400, noReason.status(), noReason::toString);
  }

  @Test
  void anOptOutRecordedOverTheApiRejectsTheRecipient() {
    ServeFixture.Answer bad = f.post("/api/consent", sam, Map.of("to", "out@example.com", "state", "maybe", "source", "form"));
    assertEquals(400, bad.status(), bad::toString);
    assertTrue(((String) bad.error().get("message")).contains("\"state\" 'maybe' must be opted-in or opted-out"), bad::toString);
    ServeFixture.Answer rec = f.post("/api/consent", sam, Map.of("to", "out@example.com", "state", "opted-out", "source", "phone call"));
    assertEquals(201, rec.status(), rec::toString);
    assertEquals(true, rec.json().get("recorded"));
    assertEquals("email", rec.json().get("channel"));
    String id = f.draftWith(ServeFixture.OPERATOR, "Opted Out", 0);
    ServeFixture.Answer add = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", List.of(Map.of("email", "out@example.com", "first_name", "O", "company", "C"))));
    assertEquals(0, ((List<?>) add.json().get("accepted")).size(), add::body);
    String audit = f.ok(null, "audit", "--as", ServeFixture.OPERATOR, "--action", "consent.record", "--output", "json");
    assertTrue(audit.contains("\"state\": \"opted-out\"") && !audit.contains("out@example.com"), audit);
    ServeFixture.Answer unknown = f.post("/api/consent", sam, Map.of("to", "out@example.com", "state", "opted-in", "source", "x", "execute", true));
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown_field", unknown.error().get("code"));
  }
}
