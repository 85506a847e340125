package comms.core.delivery;

import comms.core.CommsException;
import comms.core.json.Json;
import comms.core.outbox.Sha256;
import comms.core.send.Preview;
import comms.core.store.IdempotencyStore;
import java.time.Duration;
import java.util.Arrays;

/** A key means one message: the hash of the content a key is bound to, and the refusal of the same key with other content. */
final class IdempotencyKey {
  private IdempotencyKey() {}

  /**
   * SHA-256 of what a send delivers: channel, recipient, subject and body (text and HTML). The
   * parts are written as one JSON array, so no two different messages hash alike by shifting text
   * from one part into the next.
   */
  static String contentHash(Preview p) {
    return Sha256.hex(Json.write(Arrays.asList(p.channel(), p.to(), p.subject(), p.body(), p.html())));
  }

  /**
   * Refuses (exit 2, nothing written) a key that holds other content than {@code content}, naming
   * the delivery that holds it and until when.
   */
  static void refuseOtherContent(String key, IdempotencyStore.IdempotencyEntry e, String content, Duration window) {
    if (e.sameContent(content)) {
      return;
    }
    String holder =
        e.done()
            ? "delivery " + e.deliveryId() + ", sent (" + e.status() + ") at " + e.updatedAt() + "; the key is free again after "
                + e.updatedAt().plus(window)
            : "delivery " + e.deliveryId() + ", claimed at " + e.createdAt() + " and not finished (a run is sending it now, or died"
                + " mid-dispatch: run that same message again to reconcile it)";
    throw CommsException.usage(
        "idempotency key " + key + " already belongs to another message (" + holder + "); a key means one message, and this"
            + " one's channel, recipient, subject or body differ. Use a new --idempotency-key for a new message; nothing was sent");
  }
}
