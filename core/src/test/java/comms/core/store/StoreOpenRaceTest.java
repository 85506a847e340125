package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several connections opening one brand-new store at the same moment: SQLite answers SQLITE_BUSY at
 * once (no busy timeout) to the WAL switch of a file another connection is setting up, which reached
 * users as "stayed busy for more than 10 s" after 30 ms. Every open must succeed.
 */
class StoreOpenRaceTest {
  @TempDir Path tmp;

  @Test
  void connectionsOpeningANewStoreAtOnceAllSucceed() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      for (int round = 0; round < 40; round++) {
        Path db = tmp.resolve("r" + round).resolve("comms.db");
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<Boolean>> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String key = "k" + i;
          opened.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            try (Store s = Store.at(db)) { // one connection each, as separate processes have
              return s.claim(key, "d-" + key, Instant.parse("2026-11-18T17:00:00Z")) instanceof IdempotencyStore.Claim.Claimed;
            }
          }));
        }
        for (Future<Boolean> f : opened) {
          assertTrue(f.get(60, TimeUnit.SECONDS));
        }
        try (Store s = Store.at(db)) {
          assertEquals(n, s.inFlight().size());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
