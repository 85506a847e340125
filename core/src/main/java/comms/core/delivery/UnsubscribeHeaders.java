package comms.core.delivery;

import comms.core.contract.PolicyContract;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The List-Unsubscribe headers of one bulk email (RFC 2369), written once here into the dispatch's
 * header list that every email adapter reads: the https one-click URL first, then the mailto, and,
 * when there is a URL, {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058), which
 * Gmail and Yahoo require of bulk senders. The delivery id stands for the recipient, so no address
 * appears in a URL. The bulk-email gate has already refused a contract without an unsubscribe.
 */
public final class UnsubscribeHeaders {
  public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
  public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
  public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

  private UnsubscribeHeaders() {}

  /** The headers for {@code deliveryId}; empty when the contract names no unsubscribe at all. */
  public static Map<String, String> of(PolicyContract.BulkEmail bulk, String deliveryId) {
    Map<String, String> h = new LinkedHashMap<>();
    if (bulk == null) {
      return h;
    }
    String id = URLEncoder.encode(deliveryId, StandardCharsets.UTF_8);
    StringBuilder v = new StringBuilder();
    if (bulk.unsubscribeUrl() != null) {
      v.append('<').append(bulk.unsubscribeUrl().replace(PolicyContract.BulkEmail.DELIVERY_ID_PLACEHOLDER, id)).append('>');
    }
    if (bulk.unsubscribeMailto() != null) {
      if (v.length() > 0) {
        v.append(", ");
      }
      v.append("<mailto:").append(bulk.unsubscribeMailto()).append("?subject=unsubscribe%20").append(id).append('>');
    }
    if (v.length() == 0) {
      return h;
    }
    h.put(LIST_UNSUBSCRIBE, v.toString());
    if (bulk.unsubscribeUrl() != null) {
      h.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
    }
    return h;
  }
}
