package comms.core.reply;

import java.time.Instant;
import java.util.List;

/** An owner's inbox as replies.sync reads it: what arrived since a cursor, and the cursor after it. */
public interface Inbox {
  /** What the watch records as its source: {@code simulation} or {@code microsoft-graph}. */
  String source();

  /**
   * Messages that arrived in {@code owner}'s inbox since {@code cursor} (null: from the start, or from
   * {@code resyncFrom} when given). Throws {@link comms.core.CommsException} when the mailbox cannot be read.
   */
  Batch read(String owner, String cursor, Instant resyncFrom);

  /** What one read returned, and where the next read starts; {@code resynced} when an expired cursor forced a full read. */
  record Batch(List<InboundMessage> messages, String cursor, boolean resynced) {
    public Batch {
      messages = List.copyOf(messages);
    }
  }
}
