package comms.cli.commands.send;

import comms.cli.commands.replies.GmailOwners;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.mail.SendTest;
import comms.core.provider.GmailMailbox;
import comms.core.provider.GraphMailbox;
import java.util.HashMap;
import java.util.Map;

/**
 * The live mailer for send-tests (built only in live-pilot mode, checked before approval): Microsoft
 * Graph for the pilot mailboxes, Gmail's users.messages.send for a mailbox whose {@code provider}
 * names a gmail provider. Each client is built up front for the mailboxes that need it, so missing
 * secrets are refused before the prompt.
 */
public final class LiveMail {
  private LiveMail() {}

  static SendTest.LiveMailer mailer(App app, ProvidersContract.Provider graph) {
    StackContract stack = app.bindings().stack();
    if (!stack.pilot().live()) {
      return (f, t, s, b, d) -> {
        throw new IllegalStateException("simulation never sends live");
      };
    }
    Map<String, GmailMailbox> gmail = new HashMap<>();
    GmailOwners owners = new GmailOwners(app);
    boolean anyGraph = false;
    for (StackContract.Mailbox m : stack.pilot().activeMailboxes()) {
      if (m.provider() == null) {
        anyGraph = true;
        continue;
      }
      ProvidersContract.Provider p = app.bindings().providers().provider(m.provider())
          .filter(x -> x.kind().equals("gmail"))
          .orElseThrow(() -> CommsException.config("pilot mailbox " + m.address() + " names provider '" + m.provider() + "', which is not a gmail provider in "
              + ProvidersContract.FILE));
      gmail.put(m.address().toLowerCase(java.util.Locale.ROOT), owners.mailbox(p));
    }
    GraphMailbox mailbox = anyGraph ? LiveAdapters.of(app).mailbox(graph) : null;
    return (from, to, subject, body, deliveryId) -> {
      GmailMailbox g = gmail.get(from.toLowerCase(java.util.Locale.ROOT));
      if (g != null) {
        return g.sendTest(from, to, subject, body, deliveryId);
      }
      if (mailbox == null) {
        throw new IllegalStateException("no live mailer for " + from);
      }
      return mailbox.sendMail(from, to, subject, body, deliveryId).providerMessageId();
    };
  }
}
