package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.outbox.OutboxPaths;
import comms.core.store.StoreBackend;
import comms.core.store.StoreUrl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21: {@code comms serve} answers many operators from one process, and each request's store
 * acts for the operator its bearer token names (an admin's for everyone). On PostgreSQL row-level
 * security is then what hides another operator's rows, not only the services' own owner checks: a
 * row planted for Bo directly in the store, inside Sam's own sequence, which no owner check of the
 * API filters, is invisible to Sam's requests, and Bo's sequence does not exist for Sam at all (404,
 * where SQLite, which has no row-level security, reaches the service's check: 403). Concurrent
 * requests of the three operators each see exactly their own rows. The same test on SQLite shows
 * the API's own checks (and the planted row, which only row-level security can hide).
 */
class ServeRowSecurityTest {
  static final String SAM = ServeFixture.OPERATOR;
  static final String DANA = ServeFixture.ADMIN;
  static final String BO = "bo@lakesideprint.com";

  @TempDir Path tmp;

  @ParameterizedTest
  @MethodSource("comms.core.store.StoreBackend#all")
  void eachRequestActsForItsTokensOperatorAtTheStore(StoreBackend backend) throws Exception {
    Path file = new OutboxPaths(tmp.resolve("outbox")).store();
    Map<String, String> storeEnv = Map.of();
    if (backend == StoreBackend.POSTGRESQL) {
      StoreUrl url = backend.url(file);
      storeEnv = Map.of(StoreUrl.ENV, url.display(), StoreUrl.DEFAULT_PASSWORD_ENV, url.password());
    }
    boolean rls = backend == StoreBackend.POSTGRESQL;
    try (ServeFixture f = new ServeFixture(tmp, CliRun.SAMPLE_BINDINGS, false, storeEnv)) {
      f.ok("yes\n", "operators.add", "--email", BO, "--name", "Bo Lee", "--execute");
      String sam = f.token(SAM);
      String bo = f.token(BO);
      String dana = f.token(DANA);
      String samSeq = f.draftWith(SAM, "Sam Rows", 2);
      String boSeq = f.draftWith(BO, "Bo Rows", 2);

      // Written straight into the store (as a hand-written INSERT by the service role would): an
      // enrollment of Bo's inside Sam's sequence. Nothing in the API filters a sequence's recipients by owner.
      try (Connection c = backend.connect(file);
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO enrollments (id, sequence_id, owner, recipient, email, vars_json, state, next_stage, created_at, updated_at)"
                      + " VALUES ('enr_planted', ?, ?, 'planted@example.com', 'planted@example.com', '{}', 'active', 1, ?, ?)")) {
        ps.setString(1, samSeq);
        ps.setString(2, BO);
        ps.setString(3, ServeFixture.NOW);
        ps.setString(4, ServeFixture.NOW);
        assertEquals(1, ps.executeUpdate());
      }

      // The lists: the service's owner filter and row-level security agree here.
      assertEquals(Set.of(samSeq), ids(f.get("/api/sequences", sam)));
      assertEquals(Set.of(boSeq), ids(f.get("/api/sequences", bo)));
      assertEquals(Set.of(samSeq, boSeq), ids(f.get("/api/sequences", dana)), "an admin's token sees every operator's sequences");

      // Bo's sequence by id: on PostgreSQL Sam's request cannot even read the row; on SQLite the service refuses it.
      ServeFixture.Answer other = f.get("/api/sequences/" + boSeq, sam);
      assertEquals(rls ? 404 : 403, other.status(), other::toString);
      assertEquals(rls ? "not_found" : "other_operator", other.error().get("code"), other::toString);
      assertEquals(200, f.get("/api/sequences/" + boSeq, dana).status());
      ServeFixture.Answer boAtSams = f.get("/api/sequences/" + samSeq + "/recipients", bo);
      assertEquals(rls ? 404 : 403, boAtSams.status(), boAtSams::toString);

      // The planted row: only row-level security keeps it from Sam's request; the admin sees it.
      Set<String> samSees = emails(f.get("/api/sequences/" + samSeq + "/recipients", sam));
      Set<String> danaSees = emails(f.get("/api/sequences/" + samSeq + "/recipients", dana));
      assertEquals(rls ? 2 : 3, samSees.size(), samSees::toString);
      assertEquals(!rls, samSees.contains("planted@example.com"), samSees::toString);
      assertEquals(3, danaSees.size(), danaSees::toString);
      assertTrue(danaSees.contains("planted@example.com"), danaSees::toString);

      // Many requests at once, of the three operators interleaved on the server's threads: each answer is its caller's.
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        List<Future<String>> answers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
          String who = i % 3 == 0 ? sam : i % 3 == 1 ? dana : bo;
          answers.add(pool.submit(() -> {
            ServeFixture.Answer a = f.get("/api/sequences/" + samSeq + "/recipients", who);
            return a.status() + " " + (a.status() == 200 ? emails(a).size() : a.error().get("code"));
          }));
          expected.add(who.equals(sam) ? "200 " + (rls ? 2 : 3) : who.equals(dana) ? "200 3" : rls ? "404 not_found" : "403 other_operator");
        }
        for (int i = 0; i < answers.size(); i++) {
          assertEquals(expected.get(i), answers.get(i).get(), "request " + i);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static Set<String> ids(ServeFixture.Answer a) {
    assertEquals(200, a.status(), a::toString);
    Set<String> out = new TreeSet<>();
    for (Object s : list(a.json(), "sequences")) {
      out.add((String) ((Map<?, ?>) s).get("id"));
    }
    return out;
  }

  private static Set<String> emails(ServeFixture.Answer a) {
    assertEquals(200, a.status(), a::toString);
    Set<String> out = new TreeSet<>();
    for (Object r : list(a.json(), "recipients")) {
      out.add((String) ((Map<?, ?>) r).get("email"));
    }
    return out;
  }

  private static List<?> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertTrue(v instanceof List<?>, () -> key + " in " + m);
    return (List<?>) v;
  }
}
