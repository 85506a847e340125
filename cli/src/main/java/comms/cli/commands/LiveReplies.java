package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.reply.Inbox;

/** The owners' inboxes in live mode: Microsoft Graph's message delta on each owner's inbox. */
final class LiveReplies {
  private LiveReplies() {}

  static Inbox inbox(App app) {
    throw CommsException.config(
        "live reply sync (Microsoft Graph delta on each owner's inbox) is not wired into this build yet; switch the delivery contract to simulation");
  }
}
