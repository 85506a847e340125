package comms.core.reply;

import java.time.Instant;
import java.util.List;

/** An owner's inbox as replies.sync reads it: what arrived since a cursor, and the cursor after it. */
public interface Inbox {
  /** What the watch records as its source: {@code simulation}, {@code microsoft-graph} or {@code gmail}. */
  String source();

  /** The source of {@code owner}'s inbox (differs per owner when owners' mailboxes differ, see {@link OwnerInboxes}). */
  default String source(String owner) {
    return source();
  }

  /**
   * What an applied sync does before it reads: renew the owner's mailbox watch when it is due (Gmail).
   * A dry run skips it. Throws {@link comms.core.CommsException} when that fails.
   */
  default void prepare(String owner) {}

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
