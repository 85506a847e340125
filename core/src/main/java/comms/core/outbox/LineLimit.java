package comms.core.outbox;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Keeps every delivery-log line within {@link DeliveryJournal#MAX_LINE_BYTES}: the bound that tells a
 * line torn by a crash (never longer) from bytes comms did not write. Only the free text a provider
 * sends back can make a line that long, so it is the error text (then the provider's message id)
 * that is clipped, with a note saying how much was left out.
 */
final class LineLimit {
  private LineLimit() {}

  /** The body (the line before its hash field and newline) of {@code r} chained to {@code prev}. */
  static byte[] body(DeliveryRecord r, String prev) {
    Map<String, Object> fields = r.fields();
    fields.put("prev_hash", prev);
    fields.remove("hash");
    return Json.write(fields).getBytes(StandardCharsets.UTF_8);
  }

  /** The size of the whole line {@code body} becomes (hash field and newline included). */
  static int lineLength(byte[] body) {
    return body.length - 1 + JournalBytes.HASH_SUFFIX + 1;
  }

  /** {@code r} itself when its line fits, else a copy with its error (then message id) clipped to fit. */
  static DeliveryRecord fit(DeliveryRecord r, String prev) {
    int over = lineLength(body(r, prev)) - DeliveryJournal.MAX_LINE_BYTES;
    if (over <= 0) {
      return r;
    }
    DeliveryRecord fitted = r;
    if (r.error() != null) {
      fitted = clipped(r, prev, true);
      if (fits(fitted, prev)) {
        return fitted;
      }
    }
    if (r.providerMessageId() != null) {
      fitted = clipped(fitted, prev, false);
      if (fits(fitted, prev)) {
        return fitted;
      }
    }
    throw new CommsException(
        ExitCode.CONTRACT,
        "a delivery-log line for delivery " + r.deliveryId() + " would be longer than the longest line comms writes ("
            + DeliveryJournal.MAX_LINE_BYTES + " bytes) even without its error text: a name in the contracts is far too long;"
            + " nothing was recorded. Shorten it and run again");
  }

  private static boolean fits(DeliveryRecord r, String prev) {
    return lineLength(body(r, prev)) <= DeliveryJournal.MAX_LINE_BYTES;
  }

  /** The longest prefix of the error (or message id) that fits, found by bisection on its length. */
  private static DeliveryRecord clipped(DeliveryRecord r, String prev, boolean error) {
    String text = error ? r.error() : r.providerMessageId();
    int lo = 0;
    // Every character takes at least one byte, so no more than a line's worth can be kept.
    int hi = Math.min(text.length(), DeliveryJournal.MAX_LINE_BYTES);
    DeliveryRecord best = with(r, error, clip(text, 0));
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      DeliveryRecord c = with(r, error, clip(text, mid));
      if (fits(c, prev)) {
        best = c;
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  private static String clip(String text, int keep) {
    int k = keep;
    if (k > 0 && k < text.length() && Character.isHighSurrogate(text.charAt(k - 1))) {
      k--;
    }
    return text.substring(0, k) + "\u2026 [" + (text.length() - k) + " more characters clipped to fit the delivery log]";
  }

  private static DeliveryRecord with(DeliveryRecord r, boolean error, String v) {
    return new DeliveryRecord(
        r.time(), r.deliveryId(), r.runKey(), r.mode(), r.channel(), r.messageType(), r.provider(), r.to(), r.status(),
        error ? r.providerMessageId() : v, r.idempotencyKey(), r.bodyHash(), error ? v : r.error(), r.attempts(), r.operator(),
        r.sequenceId(), r.stage(), r.messageId(), null, null);
  }
}
