package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipient-count gates over HTTP: each gate refuses a launch without its X-Approval (403 naming
 * the gate, with an audit row), and lets it through with what a person recorded through the approval
 * commands; and of concurrent launches with one state_version exactly one wins.
 */
class ServeGatesTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static String sam;
  static final String LEE = "lee@lakesideprint.com";

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
    sam = f.token(ServeFixture.OPERATOR);
    f.ok("yes\n", "operators.add", "--email", LEE, "--name", "Lee Park", "--as", ServeFixture.ADMIN, "--execute");
    f.ok("yes\n", "replies.sync", "--as", ServeFixture.OPERATOR, "--execute"); // a launch with later stages needs the owner's reply watch healthy
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static ServeFixture.Answer launch(String id, String approval) {
    return approval == null
        ? f.post("/api/sequences/" + id + "/launch", sam, Map.of("state_version", 1))
        : f.post("/api/sequences/" + id + "/launch", sam, Map.of("state_version", 1), "X-Approval", approval);
  }

  static void refusedFor(ServeFixture.Answer a, String gate) {
    assertEquals(403, a.status(), a::toString);
    assertEquals("approval_required", a.error().get("code"), a::toString);
    assertEquals(gate, a.error().get("gate"), a::toString);
    assertTrue(((String) a.error().get("message")).contains("X-Approval: " + gate + ":"), a::toString);
  }

  static void launched(ServeFixture.Answer a) {
    assertEquals(200, a.status(), a::toString);
    assertEquals("active", a.json().get("state"), a::toString);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String out) {
    return (Map<String, Object>) Json.parse(out);
  }

  @Test
  void fiftyRecipientsNeedNoHeader() {
    launched(launch(f.draftWith(ServeFixture.OPERATOR, "Fifty", 50), null));
  }

  @Test
  void theConfirmGate() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Confirm Gate", 51);
    refusedFor(launch(id, null), "confirm");
    refusedFor(launch(id, "token:apt_nothing"), "confirm");
    refusedFor(launch(id, "confirm:" + ServeFixture.ADMIN), "confirm"); // not recorded yet
    CliRun.Result audit = f.cli().run("audit", "--as", ServeFixture.OPERATOR, "--action", "sequence.launch", "-o", "json");
    assertTrue(audit.out().contains("approval_required:confirm") && audit.out().contains("\"actor\": \"api\""), audit::toString);
    f.ok("yes\n", "approval.confirm", id, "--as", ServeFixture.ADMIN, "--execute");
    launched(launch(id, "confirm:" + ServeFixture.ADMIN));
  }

  @Test
  void theMultiPersonReviewGate() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Review Gate", 501);
    refusedFor(launch(id, null), "multipov");
    String review = (String) json(f.ok("yes\n", "approval.request", id, "--kind", "multipov", "--as", ServeFixture.OPERATOR, "--execute", "-o", "json")).get("approval_id");
    f.ok("yes\n", "approval.confirm", id, "--as", ServeFixture.ADMIN, "--execute");
    ServeFixture.Answer half = launch(id, "multipov:" + review);
    refusedFor(half, "multipov");
    assertTrue(((String) half.error().get("message")).contains("1 of the 2 confirmations"), half::toString);
    f.ok("yes\n", "approval.confirm", id, "--as", LEE, "--execute");
    launched(launch(id, "multipov:" + review));
  }

  @Test
  void theTokenGateAndATokenIsSpentOnce() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Token Gate", 1001);
    refusedFor(launch(id, null), "token");
    refusedFor(launch(id, "confirm:" + ServeFixture.ADMIN), "token");
    String token = (String) json(f.ok("yes\n", "approval.issue", id, "--as", ServeFixture.ADMIN, "--execute", "-o", "json")).get("token");
    refusedFor(launch(id, "token:apt_not-the-one"), "token");
    launched(launch(id, "token:" + token));
  }

  @Test
  void addingToAnActiveSequencePassesTheGateForTheNewRows() {
    String id = f.draftWith(ServeFixture.OPERATOR, "Grow", 1);
    launched(launch(id, null));
    ServeFixture.Answer more = f.post("/api/sequences/" + id + "/recipients", sam, Map.of("recipients", ServeFixture.recipients(60, "grow-more-")));
    refusedFor(more, "confirm");
    CliRun.Result shown = f.cli().run("sequence.show", id, "--as", ServeFixture.OPERATOR, "-o", "json");
    assertTrue(shown.out().contains("\"active\": 1"), shown::toString);
  }

  @Test
  void concurrentLaunchesWithOneStateVersionOneWins() throws Exception {
    String id = f.draftWith(ServeFixture.OPERATOR, "Race", 3);
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ServeFixture.Answer>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Callable<ServeFixture.Answer> c = () -> {
        go.await();
        return launch(id, null);
      };
      answers.add(pool.submit(c));
    }
    go.countDown();
    int won = 0;
    int conflicts = 0;
    for (Future<ServeFixture.Answer> a : answers) {
      ServeFixture.Answer r = a.get();
      if (r.status() == 200) {
        won++;
      } else {
        // a loser either read the version before the winner wrote it (409) or after, when the sequence is no longer a draft (422)
        assertTrue(r.status() == 409 || r.status() == 422, r::toString);
        conflicts++;
      }
    }
    pool.shutdown();
    assertEquals(1, won);
    assertEquals(n - 1, conflicts);
    ServeFixture.Answer now = f.get("/api/sequences/" + id, sam);
    assertEquals(2, ((Number) now.json().get("state_version")).intValue(), now::toString);
    CliRun.Result audit = f.cli().run("audit", "--as", ServeFixture.OPERATOR, "--action", "sequence.launch", "--limit", "100", "-o", "json");
    assertEquals(1, audit.out().split("\"resource_id\": \"" + id + "\"", -1).length - 1, audit::toString);
  }
}
