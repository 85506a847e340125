package comms.core.reply;

import comms.core.store.SentMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ties an inbound message to a message we sent, and says how: {@code in_reply_to} or
 * {@code references} (a Message-ID we chose is named there), {@code dsn_original_message_id} (a
 * bounce returned our message), {@code dsn_recipient} (a bounce names an address we wrote to), or
 * {@code same_conversation} (no such header, but it comes from an address we wrote to, with the
 * subject of what we sent, Re: and Fwd: aside).
 */
public final class ReplyMatcher {
  private final SentMessages sent;

  public ReplyMatcher(SentMessages sent) {
    this.sent = sent;
  }

  /** The message we sent that {@code m} answers or reports on, and the reason. */
  public record Match(SentMessages.Sent message, String reason) {}

  public Optional<Match> match(InboundMessage m, Classification c) {
    boolean bounce = c.kind() == Classification.Kind.BOUNCE_HARD || c.kind() == Classification.Kind.BOUNCE_SOFT;
    if (bounce && m.report() != null && m.report().originalMessageId() != null) {
      Optional<SentMessages.Sent> s = ours(m, m.report().originalMessageId());
      if (s.isPresent()) {
        return Optional.of(new Match(s.get(), "dsn_original_message_id"));
      }
    }
    for (String id : m.inReplyTo()) {
      Optional<SentMessages.Sent> s = ours(m, id);
      if (s.isPresent()) {
        return Optional.of(new Match(s.get(), "in_reply_to"));
      }
    }
    List<String> refs = new ArrayList<>(m.references());
    // Newest reference last (RFC 5322 §3.6.4): the message most directly answered.
    java.util.Collections.reverse(refs);
    for (String id : refs) {
      Optional<SentMessages.Sent> s = ours(m, id);
      if (s.isPresent()) {
        return Optional.of(new Match(s.get(), "references"));
      }
    }
    if (bounce) {
      String who = c.bouncedAddress();
      if (who != null) {
        List<SentMessages.Sent> to = sent.to(m.owner(), who);
        if (!to.isEmpty()) {
          return Optional.of(new Match(to.get(0), "dsn_recipient"));
        }
      }
      return Optional.empty();
    }
    if (m.from() != null) {
      String subject = SentMessages.subjectHash(m.subject());
      for (SentMessages.Sent s : sent.to(m.owner(), m.from())) {
        if (subject.equals(s.subjectSha256())) {
          return Optional.of(new Match(s, "same_conversation"));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<SentMessages.Sent> ours(InboundMessage m, String id) {
    return sent.find(id).filter(s -> s.owner().equalsIgnoreCase(m.owner()));
  }
}
