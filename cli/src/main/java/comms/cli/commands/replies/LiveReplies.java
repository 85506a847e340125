package comms.cli.commands.replies;

import comms.cli.commands.send.LiveAdapters;
import comms.cli.App;
import comms.core.CommsException;
import comms.core.contract.ProvidersContract;
import comms.core.provider.GraphInbox;
import comms.core.provider.GraphMailbox;
import comms.core.reply.Inbox;
import comms.core.reply.OwnerInboxes;
import java.time.Duration;
import java.time.Instant;

/**
 * The owners' inboxes in live mode: a Gmail owner's through users.history (their gmail provider),
 * everyone else's through Microsoft Graph's message delta with the Graph provider's credentials.
 */
public final class LiveReplies {
  private LiveReplies() {}

  static Inbox inbox(App app) {
    GmailOwners gmail = new GmailOwners(app);
    return new OwnerInboxes(new LazyGraph(app), owner -> gmail.inbox(owner, true, null, app.clock()));
  }

  static Inbox graph(App app) {
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

  /** Graph's inbox, built when an owner who is not on Gmail is first read (a Gmail-only run needs no Graph credentials). */
  private static final class LazyGraph implements Inbox {
    private final App app;
    private Inbox inner;

    LazyGraph(App app) {
      this.app = app;
    }

    private Inbox inner() {
      if (inner == null) {
        inner = graph(app);
      }
      return inner;
    }

    @Override
    public String source() {
      return "microsoft-graph";
    }

    @Override
    public Batch read(String owner, String cursor, Instant resyncFrom) {
      return inner().read(owner, cursor, resyncFrom);
    }
  }
}
