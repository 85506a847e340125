package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence endpoints through real HTTP: the same services, rules and audit rows as the sequence.* commands. */
class ServeApiTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static String sam;
  static String dana;

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
    sam = f.token(ServeFixture.OPERATOR);
    dana = f.token(ServeFixture.ADMIN);
    // a launch with later stages needs the owner's reply watch healthy, as sequence.launch does
    f.ok("yes\n", "replies.sync", "--as", ServeFixture.OPERATOR, "--execute");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void aSequenceDocumentCreatesTheSameDraftAsTheFileAndTheCliSeesIt() {
    ServeFixture.Answer made = f.post("/api/sequences", sam, ServeFixture.welcome("Api Welcome"));
    assertEquals(201, made.status(), made::toString);
    Map<String, Object> s = made.json();
    assertEquals("draft", s.get("state"));
    assertEquals(1, ((Number) s.get("state_version")).intValue());
    assertEquals(ServeFixture.OPERATOR, s.get("owner"));
    String id = (String) s.get("id");
    CliRun.Result shown = f.cli().run("sequence.show", id, "--as", ServeFixture.OPERATOR, "-o", "json");
    assertEquals(0, shown.exit(), shown::toString);
    assertTrue(shown.out().contains("\"name\": \"Api Welcome\""), shown::toString);
    ServeFixture.Answer got = f.get("/api/sequences/" + id, sam);
    assertEquals(200, got.status(), got::toString);
    assertEquals(id, got.json().get("id"));
    // the audit row names the operator as owner and the API as actor
    CliRun.Result audit = f.cli().run("audit", "--as", ServeFixture.OPERATOR, "--action", "sequence.create", "-o", "json");
    assertTrue(audit.out().contains("\"actor\": \"api\"") && audit.out().contains("\"resource_id\": \"" + id + "\""), audit::toString);
  }

  @Test
  void theSequenceRulesRefuseABadDocument() {
    Map<String, Object> copy = new LinkedHashMap<>(ServeFixture.welcome("Promo (Copy)"));
    ServeFixture.Answer named = f.post("/api/sequences", sam, copy);
    assertEquals(422, named.status(), named::toString);
    assertTrue(((String) named.error().get("message")).contains("(Copy)"), named::toString);
    Map<String, Object> extra = new LinkedHashMap<>(ServeFixture.welcome("Extra"));
    extra.put("colour", "blue");
    ServeFixture.Answer unknown = f.post("/api/sequences", sam, extra);
    assertEquals(422, unknown.status(), unknown::toString);
    assertTrue(((String) unknown.error().get("message")).contains("colour"), unknown::toString);
    Map<String, Object> opened = new LinkedHashMap<>(ServeFixture.welcome("Opened"));
    opened.put("stages", List.of(Map.of("medium", "email", "delay", "0", "trigger", "opened", "template", "welcome_intro.email")));
    ServeFixture.Answer o = f.post("/api/sequences", sam, opened);
    assertEquals(422, o.status(), o::toString);
    assertTrue(((String) o.error().get("message")).contains("not a trustworthy signal"), o::toString);
    ServeFixture.Answer notJson = f.postRaw("/api/sequences", sam, "name: Yaml");
    assertEquals(400, notJson.status(), notJson::toString);
    ServeFixture.Answer wrongType = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base + "/api/sequences"))
        .header("Authorization", "Bearer " + sam).header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
    assertEquals(415, wrongType.status(), wrongType::toString);
  }

  @Test
  void recipientsAreAcceptedOrRejectedWithTheReasonsOfTheCli() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Reasons", 0);
    f.ok("yes\n", "suppression.add", "--domain", "blocked.example.com", "--reason", "do not contact", "--as", ServeFixture.ADMIN, "--execute");
    List<Map<String, Object>> rows = List.of(
        Map.of("email", "ok@example.com", "first_name", "Ok", "company", "Fine"),
        Map.of("email", "a@@example.com", "first_name", "Bad", "company", "Co"),
        Map.of("email", "x@blocked.example.com", "first_name", "No", "company", "Co"),
        Map.of("email", "novars@example.com"));
    ServeFixture.Answer a = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", rows));
    assertEquals(200, a.status(), a::toString);
    List<?> accepted = (List<?>) a.json().get("accepted");
    List<?> rejected = (List<?>) a.json().get("rejected");
    assertEquals(1, accepted.size(), a::toString);
    assertEquals(3, rejected.size(), a::toString);
    String body = a.body();
    assertTrue(body.contains("invalid:double_at") && body.contains("suppressed:domain") && body.contains("missing_variable:"), body);
    ServeFixture.Answer unknownField = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", List.of(), "dry_run", true));
    assertEquals(400, unknownField.status(), unknownField::toString);
    assertEquals("unknown_field", unknownField.error().get("code"));
    assertTrue(((String) unknownField.error().get("message")).contains("dry_run"), unknownField::toString);
  }

  @Test
  void twoThousandAndOneRowsAreRefusedWhole() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Bulk", 0);
    ServeFixture.Answer a = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", ServeFixture.recipients(2001, "bulk")));
    assertEquals(413, a.status(), a::toString);
    assertEquals("too_many_recipients", a.error().get("code"));
    assertTrue(((String) a.error().get("message")).contains("2001 recipients in one call is over the limit of 2000"), a::toString);
    ServeFixture.Answer after = f.get("/api/sequences/" + id, sam);
    assertTrue(((Map<?, ?>) after.json().get("counts")).values().stream().allMatch(v -> ((Number) v).intValue() == 0), after::toString);
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    String big = "{\"recipients\": [\"" + "x".repeat(WorkerServer.Settings.DEFAULT_MAX_BODY) + "\"]}";
    ServeFixture.Answer a = f.postRaw("/api/sequences/seq_000000000000/recipients", sam, big);
    assertEquals(413, a.status(), a::toString);
    assertEquals("body_too_large", a.error().get("code"));
  }

  @Test
  void anotherOperatorsSequenceIsForbiddenAndAnAdminReadsAll() {
    String danas = f.draftWith(ServeFixture.ADMIN, "Dana Only", 1);
    ServeFixture.Answer read = f.get("/api/sequences/" + danas, sam);
    assertEquals(403, read.status(), read::toString);
    assertEquals("other_operator", read.error().get("code"));
    ServeFixture.Answer launch = f.post("/api/sequences/" + danas + "/launch", sam, Map.of("state_version", 1));
    assertEquals(403, launch.status(), launch::toString);
    ServeFixture.Answer add = f.post("/api/sequences/" + danas + "/recipients", sam, Map.of("recipients", ServeFixture.recipients(1, "sneak")));
    assertEquals(403, add.status(), add::toString);
    ServeFixture.Answer enrolled = f.get("/api/sequences/" + danas + "/recipients", sam);
    assertEquals(403, enrolled.status(), enrolled::toString);
    assertFalse(enrolled.body().contains("@example.com"), enrolled::body);
    String sams = f.draftWith(ServeFixture.OPERATOR, "Sam Own", 1);
    assertEquals(200, f.get("/api/sequences/" + sams, dana).status());
    ServeFixture.Answer own = f.get("/api/sequences/" + sams + "/recipients", sam);
    assertEquals(200, own.status(), own::toString);
    assertEquals(1, ((List<?>) own.json().get("recipients")).size(), own::toString);
    assertEquals(200, f.get("/api/sequences/" + danas + "/recipients", dana).status());
    String listedBySam = f.get("/api/sequences", sam).body();
    assertTrue(listedBySam.contains(sams) && !listedBySam.contains(danas), listedBySam);
    String listedByDana = f.get("/api/sequences", dana).body();
    assertTrue(listedByDana.contains(sams) && listedByDana.contains(danas), listedByDana);
    ServeFixture.Answer missing = f.get("/api/sequences/seq_ffffffffffff", sam);
    assertEquals(404, missing.status(), missing::toString);
  }

  @Test
  void stateChangesNeedTheCurrentStateVersion() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Versions", 2);
    ServeFixture.Answer none = f.post("/api/sequences/" + id + "/launch", sam, Map.of());
    assertEquals(400, none.status(), none::toString);
    assertTrue(((String) none.error().get("message")).contains("\"state_version\" is required"), none::toString);
    ServeFixture.Answer launched = f.post("/api/sequences/" + id + "/launch", sam, Map.of("state_version", 1));
    assertEquals(200, launched.status(), launched::toString);
    assertEquals("active", launched.json().get("state"));
    ServeFixture.Answer stale = f.post("/api/sequences/" + id + "/pause", sam, Map.of("state_version", 1));
    assertEquals(409, stale.status(), stale::toString);
    assertEquals("stale_state_version", stale.error().get("code"));
    ServeFixture.Answer paused = f.post("/api/sequences/" + id + "/pause", sam, Map.of("state_version", 2));
    assertEquals(200, paused.status(), paused::toString);
    ServeFixture.Answer resumed = f.post("/api/sequences/" + id + "/resume", sam, Map.of("state_version", 3));
    assertEquals("active", resumed.json().get("state"), resumed::toString);
    ServeFixture.Answer stopped = f.post("/api/sequences/" + id + "/stop", sam, Map.of("state_version", 4));
    assertEquals("stopped", stopped.json().get("state"), stopped::toString);
    ServeFixture.Answer again = f.post("/api/sequences/" + id + "/resume", sam, Map.of("state_version", 5));
    assertEquals(422, again.status(), again::toString);
  }

  @Test
  void aLaunchWithLaterStagesNeedsTheOwnersReplyWatchAsOnTheCommandLine() {
    String kim = "kim@lakesideprint.com";
    f.ok("yes\n", "operators.add", "--email", kim, "--name", "Kim Watchless", "--as", ServeFixture.ADMIN, "--execute");
    String id = f.draftWith(kim, "No Watch", 2);
    ServeFixture.Answer refused = f.post("/api/sequences/" + id + "/launch", f.token(kim), Map.of("state_version", 1));
    assertEquals(403, refused.status(), refused::toString);
    assertTrue(((String) refused.error().get("message")).contains("reply watch of " + kim + " has never synced"), refused::toString);
    assertEquals("draft", f.get("/api/sequences/" + id, f.token(kim)).json().get("state"));
    f.ok("yes\n", "replies.sync", "--as", kim, "--execute");
    ServeFixture.Answer launched = f.post("/api/sequences/" + id + "/launch", f.token(kim), Map.of("state_version", 1));
    assertEquals(200, launched.status(), launched::toString);
  }

  @Test
  void theAuditIsScopedToTheOperatorAndAdminsReadAll() {
    f.draftWith(ServeFixture.ADMIN, "Audited", 0);
    ServeFixture.Answer mine = f.get("/api/audit?limit=200", sam);
    assertEquals(200, mine.status(), mine::toString);
    assertFalse(mine.body().contains("\"owner\": \"" + ServeFixture.ADMIN + "\""), mine::body);
    ServeFixture.Answer other = f.get("/api/audit?operator=" + ServeFixture.ADMIN, sam);
    assertEquals(403, other.status(), other::toString);
    ServeFixture.Answer all = f.get("/api/audit?limit=200", dana);
    assertTrue(all.body().contains("\"owner\": \"" + ServeFixture.ADMIN + "\""), all::body);
    ServeFixture.Answer bad = f.get("/api/audit?limit=zero", dana);
    assertEquals(400, bad.status(), bad::toString);
  }

  @Test
  void theStatusShowsTheViewersOwnRowsOrEveryonesForAnAdmin() {
    f.draftWith(ServeFixture.ADMIN, "Status Dana", 0);
    Map<String, Object> s = f.get("/api/status", sam).json();
    List<?> ops = (List<?>) s.get("operators");
    assertEquals(1, ops.size(), s::toString);
    assertEquals(ServeFixture.OPERATOR, ((Map<?, ?>) ops.get(0)).get("email"));
    assertFalse(s.toString().contains("Status Dana"), s::toString);
    Map<String, Object> a = f.get("/api/status", dana).json();
    assertTrue(((List<?>) a.get("operators")).size() >= 2, a::toString);
    assertTrue(a.toString().contains("Status Dana"), a::toString);
    assertNull(((Map<?, ?>) s.get("viewer")).get("token"));
    // the viewer's own reply watch, with its health; an admin sees every active operator's
    List<?> watches = (List<?>) s.get("watches");
    assertEquals(1, watches.size(), s::toString);
    assertEquals(ServeFixture.OPERATOR, ((Map<?, ?>) watches.get(0)).get("owner"));
    assertTrue(((Map<?, ?>) watches.get(0)).get("healthy") instanceof Boolean, s::toString);
    assertTrue(((List<?>) a.get("watches")).size() >= 2, a::toString);
  }

  @Test
  void anAgentNamesItselfAsTheActor() {
    ServeFixture.Answer made = f.post("/api/sequences", sam, ServeFixture.welcome("By Agent"), "X-Actor", "agent:claude");
    assertEquals(201, made.status(), made::toString);
    CliRun.Result audit = f.cli().run("audit", "--as", ServeFixture.OPERATOR, "--action", "sequence.create", "-o", "json");
    assertTrue(audit.out().contains("\"actor\": \"agent:claude\""), audit::toString);
    ServeFixture.Answer bad = f.post("/api/sequences", sam, ServeFixture.welcome("Bad Agent"), "X-Actor", "root");
    assertEquals(400, bad.status(), bad::toString);
  }
}
