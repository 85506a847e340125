package comms.core.delivery;

import comms.core.provider.Dispatch;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Message-ID comms chooses for an email it sends: {@code <delivery-id@sender-domain>}. A reply
 * names it in In-Reply-To or References, which is how replies.sync knows what was answered. The
 * delivery id is random and unique, so the Message-ID is too (RFC 5322 §3.6.4).
 */
public final class MessageIds {
  private MessageIds() {}

  /** {@code <deliveryId@domain>}, the domain from the From address ({@code Name <a@b>} or {@code a@b}); {@code comms.invalid} when none. */
  public static String forDelivery(String deliveryId, String from) {
    return "<" + deliveryId + "@" + domainOf(from) + ">";
  }

  /** The headers an email stage send carries: its Message-ID and the delivery it is. */
  public static Map<String, String> headers(String deliveryId, String from) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Message-ID", forDelivery(deliveryId, from));
    h.put(Dispatch.DELIVERY_ID_HEADER, deliveryId);
    return h;
  }

  static String domainOf(String from) {
    if (from == null) {
      return "comms.invalid";
    }
    String a = from.strip();
    int lt = a.lastIndexOf('<');
    int gt = a.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      a = a.substring(lt + 1, gt);
    }
    int at = a.lastIndexOf('@');
    String d = at < 0 ? "" : a.substring(at + 1).strip().toLowerCase(Locale.ROOT);
    return d.matches("[a-z0-9.-]+\\.[a-z0-9-]+") ? d : "comms.invalid";
  }

  /** A Message-ID without its angle brackets and surrounding space, lower-cased: how ids are compared. */
  public static String bare(String id) {
    if (id == null) {
      return null;
    }
    String s = id.strip();
    if (s.startsWith("<")) {
      s = s.substring(1);
    }
    if (s.endsWith(">")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
