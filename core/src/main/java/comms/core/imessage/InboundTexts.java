package comms.core.imessage;

import java.util.List;

/** Where the daemon reads the texts people sent back (Messages' chat.db on the Mac; a fake in tests). */
public interface InboundTexts {
  /** One text received: a stable id, the sender's number and what they wrote. */
  record Text(String id, String from, String body) {}

  /** The texts received since the last call (the first call starts from now: history is not replayed). */
  List<Text> poll();
}
