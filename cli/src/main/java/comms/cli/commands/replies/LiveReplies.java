package comms.cli.commands.replies;

import comms.cli.commands.send.LiveAdapters;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.ProvidersContract;
import comms.core.provider.GraphInbox;
import comms.core.provider.GraphMailbox;
import comms.core.reply.Inbox;
import java.time.Duration;

/** The owners' inboxes in live mode: Microsoft Graph's message delta on each owner's inbox, with the Graph provider's credentials. */
public final class LiveReplies {
  private LiveReplies() {}

  static Inbox inbox(App app) {
    ProvidersContract.Provider graph =
        app.bindings().providers().providers().stream()
            .filter(p -> p.kind().equals("microsoft-graph"))
            .findFirst()
            .orElseThrow(() -> CommsException.config(
                "live reply sync reads the owners' inboxes through Microsoft Graph, and the providers contract has no microsoft-graph provider; add one"));
    // The token comes from the Graph provider's client credentials (secrets from the environment it names).
    GraphMailbox mailbox = LiveAdapters.of(app).mailbox(graph);
    return new GraphInbox(graph.baseUrl(), mailbox::accessToken, Duration.ofMillis(graph.connectTimeoutMs()), Duration.ofMillis(graph.readTimeoutMs()));
  }
}
