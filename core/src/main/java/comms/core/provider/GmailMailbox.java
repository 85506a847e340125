package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.TimeZone;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.RawField;

/**
 * Sends as a Gmail mailbox's owner: the message is built as RFC 5322 by mime4j (From the owner,
 * our Message-ID and {@code X-Comms-Delivery-Id} when the send carries them, plain text with an
 * HTML alternative when there is one) and handed to {@code users.messages.send} as that user. The
 * provider message id is Gmail's id for the sent message.
 */
public final class GmailMailbox implements Provider {
  private final GmailApi api;
  private final Clock clock;

  public GmailMailbox(GmailApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  @Override
  public String name() {
    return api.name();
  }

  public GmailApi api() {
    return api;
  }

  @Override
  public DispatchResult send(Dispatch d) {
    String user = address(d.from());
    if (user == null) {
      throw new ProviderException(ProviderException.FAILED, "no_sender", "a Gmail send needs the owner's address as From; it had none", 0);
    }
    GmailApi.Sent sent = api.send(user, rfc5322(d, clock), d.headers().get(THREAD_ID));
    return new DispatchResult("sent", sent.id(), sent.attempts());
  }

  /** A send-test from a Gmail mailbox (mail.send.test): plain text, with our delivery id header. */
  public String sendTest(String from, String to, String subject, String body, String deliveryId) {
    Dispatch d = new Dispatch(deliveryId, deliveryId, "email", from, to, subject, body, null, Map.of(Dispatch.DELIVERY_ID_HEADER, deliveryId));
    return send(d).providerMessageId();
  }

  /**
   * A Dispatch header that is not written into the message but names the Gmail thread a reply goes
   * in ({@code threadId} of messages.send); Gmail also needs In-Reply-To/References for that.
   */
  public static final String THREAD_ID = "X-Gmail-Thread-Id";

  /** The message as RFC 5322 bytes (CRLF lines), as messages.send takes it in {@code raw}. */
  static byte[] rfc5322(Dispatch d, Clock clock) {
    try {
      Message.Builder m = Message.Builder.of();
      m.setFrom(DefaultAddressParser.DEFAULT.parseMailbox(d.from()));
      m.setTo(DefaultAddressParser.DEFAULT.parseMailbox(d.to()));
      m.setSubject(d.subject() == null ? "" : d.subject());
      m.setDate(Date.from(clock.instant()), TimeZone.getTimeZone("UTC"));
      for (Map.Entry<String, String> h : d.headers().entrySet()) {
        if (h.getKey().equalsIgnoreCase(THREAD_ID)) {
          continue;
        }
        if (h.getKey().equalsIgnoreCase("Message-ID")) {
          m.setMessageId(h.getValue());
        } else {
          m.setField(new RawField(h.getKey(), h.getValue()));
        }
      }
      if (d.messageId() == null && d.deliveryId() != null && !d.headers().containsKey(Dispatch.DELIVERY_ID_HEADER)) {
        m.setField(new RawField(Dispatch.DELIVERY_ID_HEADER, d.deliveryId()));
      }
      String text = d.text() == null ? "" : d.text();
      if (d.html() == null || d.html().isBlank()) {
        m.setBody(text, "plain", StandardCharsets.UTF_8);
        m.setContentTransferEncoding("quoted-printable");
      } else {
        m.setBody(
            MultipartBuilder.create("alternative")
                .addBodyPart(BodyPartBuilder.create().setBody(text, "plain", StandardCharsets.UTF_8).setContentTransferEncoding("quoted-printable"))
                .addBodyPart(BodyPartBuilder.create().setBody(d.html(), "html", StandardCharsets.UTF_8).setContentTransferEncoding("quoted-printable"))
                .build());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new DefaultMessageWriter().writeMessage(m.build(), out);
      return out.toByteArray();
    } catch (IOException | org.apache.james.mime4j.dom.field.ParseException e) {
      throw new CommsException(ExitCode.USAGE, "the message could not be written as RFC 5322 (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  /** The bare address of {@code Name <a@b>} or {@code a@b}, lower-cased; null when there is none. */
  static String address(String from) {
    if (from == null || from.isBlank()) {
      return null;
    }
    try {
      Mailbox box = DefaultAddressParser.DEFAULT.parseMailbox(from);
      return box.getAddress().toLowerCase(java.util.Locale.ROOT);
    } catch (org.apache.james.mime4j.dom.field.ParseException e) {
      return null;
    }
  }
}
