package comms.core.policy;

import comms.core.contract.Channels;
import comms.core.contract.PolicyContract;
import comms.core.send.Gate;

/**
 * Bulk-style email (a sequence stage) names the business's postal address in its footer (CAN-SPAM,
 * 15 U.S.C. 7704(a)(5)) and offers an unsubscribe (RFC 2369 / RFC 8058; the headers themselves are
 * written by {@link comms.core.delivery.UnsubscribeHeaders} once the delivery id exists). Without a
 * postal address or any unsubscribe in the policy contract it is blocked; otherwise the footer is
 * appended to the text and HTML parts, so the later gates judge the message as it will go.
 */
public final class BulkEmailGate implements SendGate {
  @Override
  public String name() {
    return Gate.BULK_EMAIL;
  }

  @Override
  public String cites() {
    return "bulk_email in " + PolicyContract.FILE + " (CAN-SPAM 15 U.S.C. 7704(a)(5): a postal address; RFC 8058: one-click unsubscribe)";
  }

  @Override
  public Gate evaluate(GateContext m) {
    if (!m.request().bulk() || !m.channel().equals(Channels.EMAIL)) {
      return Gate.pass(Gate.BULK_EMAIL, "not bulk email: no unsubscribe or postal address required");
    }
    PolicyContract.BulkEmail b = m.policy().bulkEmail();
    String where = b == null ? PolicyContract.FILE : b.source().where();
    if (b == null || b.postalAddress() == null) {
      return Gate.fail(
          Gate.BULK_EMAIL,
          "bulk email must carry the business's postal address (CAN-SPAM), and the policy contract (" + where + ") has no bulk_email.postal_address;"
              + " add it there, e.g. bulk_email: { postal_address: \"Lakeside Print, 1200 W Lake St, Chicago, IL 60607\" }");
    }
    if (b.unsubscribeMailto() == null && b.unsubscribeUrl() == null) {
      return Gate.fail(
          Gate.BULK_EMAIL,
          "bulk email must offer an unsubscribe (List-Unsubscribe, RFC 8058), and the policy contract (" + where + ") names neither"
              + " bulk_email.unsubscribe_mailto nor bulk_email.unsubscribe_url; add at least one");
    }
    String how =
        b.unsubscribeUrl() != null
            ? "To stop these emails, use the Unsubscribe link of your mail app" + (b.unsubscribeMailto() != null ? " or write to " + b.unsubscribeMailto() : "") + "."
            : "To stop these emails, write to " + b.unsubscribeMailto() + " or use the Unsubscribe link of your mail app.";
    m.body(m.body().stripTrailing() + "\n\n--\n" + b.postalAddress() + "\n" + how + "\n");
    if (m.html() != null) {
      String footer = "<p style=\"font-size:12px;color:#666\">" + escape(b.postalAddress()).replace("\n", "<br>") + "<br>" + escape(how) + "</p>";
      String h = m.html();
      int end = h.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</body>");
      m.html(end < 0 ? h.stripTrailing() + "\n" + footer + "\n" : h.substring(0, end) + footer + "\n" + h.substring(end));
    }
    return Gate.pass(Gate.BULK_EMAIL, "footer appended with the postal address from " + where + "; List-Unsubscribe"
        + (b.unsubscribeUrl() != null ? " with one-click" : " (mailto only, no one-click)") + " goes in the headers");
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
