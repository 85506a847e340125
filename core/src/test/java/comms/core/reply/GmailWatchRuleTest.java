package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.store.GmailWatchStore;
import comms.core.store.ReplyStore;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "healthy watch" rule for a Gmail owner: a fresh sync and an active Gmail watch (its expiration ahead). */
class GmailWatchRuleTest {
  static final String SAM = "sam@lakesideprint.com";
  static final String DANA = "dana@lakesideprint.com";
  static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");

  @TempDir Path tmp;

  @Test
  void aGmailOwnerNeedsAnActiveWatchAsWellAsAFreshSync() {
    try (Store store = Store.at(tmp.resolve("state.db"))) {
      ReplyStore replies = ReplyStore.of(store);
      GmailWatchStore gmail = GmailWatchStore.of(store);
      Watches w = new Watches(replies, Duration.ofMinutes(15)).gmail(SAM::equals, gmail);
      replies.succeeded(SAM, "gmail", "4824610", NOW, NOW.minus(Duration.ofMinutes(1)));
      replies.succeeded(DANA, "microsoft-graph", "x", NOW, NOW.minus(Duration.ofMinutes(1)));

      Optional<String> never = w.unhealthy(SAM, NOW);
      assertTrue(never.isPresent() && never.get().contains("no active Gmail watch (it was never set up)"), never::toString);
      assertTrue(never.get().contains("comms replies.watch --owner " + SAM), never.get());
      assertTrue(w.unhealthy(DANA, NOW).isEmpty(), "a Graph owner needs no Gmail watch");

      gmail.watched(SAM, "projects/lakeside-comms/topics/gmail-replies", "4824610", NOW.plus(Duration.ofDays(6)), NOW.minus(Duration.ofDays(1)));
      assertTrue(w.unhealthy(SAM, NOW).isEmpty());
      assertTrue(w.health(SAM, NOW).healthy());

      Instant later = NOW.plus(Duration.ofDays(6)).plusSeconds(1);
      replies.succeeded(SAM, "gmail", "4824700", NOW, later.minus(Duration.ofMinutes(1)));
      Optional<String> expired = w.unhealthy(SAM, later);
      assertTrue(expired.isPresent() && expired.get().contains("it expired at " + NOW.plus(Duration.ofDays(6))), expired::toString);
      assertFalse(w.health(SAM, later).healthy());
      assertEquals(NOW.plus(Duration.ofDays(6)), w.health(SAM, later).unhealthySince());

      replies.succeeded(SAM, "gmail", "4824700", NOW, NOW.minus(Duration.ofHours(1)));
      Optional<String> stale = w.unhealthy(SAM, NOW);
      assertTrue(stale.isPresent() && stale.get().contains("more than 15 minutes ago"), "a stale sync says so first: " + stale);
    }
  }

  @Test
  void aSimulatedWatchIsRenewedOnlyWhenDue() {
    try (Store store = Store.at(tmp.resolve("state.db"))) {
      GmailWatchStore gmail = GmailWatchStore.of(store);
      GmailWatchStore.GmailWatch first = gmail.simulateIfDue(SAM, "projects/lakeside-comms/topics/gmail-replies", NOW);
      assertEquals(NOW.plus(Duration.ofDays(7)), first.expiration());
      assertEquals(first, gmail.simulateIfDue(SAM, "projects/lakeside-comms/topics/gmail-replies", NOW.plus(Duration.ofDays(5))));
      Instant due = NOW.plus(Duration.ofDays(6)).plusSeconds(1);
      assertEquals(due.plus(Duration.ofDays(7)), gmail.simulateIfDue(SAM, "projects/lakeside-comms/topics/gmail-replies", due).expiration());
    }
  }
}
