package comms.core.reply;

import comms.core.Recipients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.DefaultFieldParser;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Reads an RFC 5322 message (a .eml file, a line of the simulated inbox) into an {@link
 * InboundMessage} with Apache James mime4j: headers unfolded and decoded, the first plain-text part
 * as the text, and for a DSN (multipart/report; report-type=delivery-status) the per-recipient
 * action and status and the Message-ID of the message it returns. Also writes the messages
 * {@code mail.simulate-inbound} puts in the simulated inbox.
 */
public final class MimeMessages {
  private MimeMessages() {}

  /** Parses {@code raw}; a message mime4j cannot read at all is an IllegalArgumentException naming why. */
  public static InboundMessage parse(String sourceId, String owner, byte[] raw, Instant receivedAt) {
    Message m;
    try {
      DefaultMessageBuilder b = new DefaultMessageBuilder();
      b.setMimeEntityConfig(MimeConfig.PERMISSIVE);
      b.setDecodeMonitor(DecodeMonitor.SILENT);
      m = b.parseMessage(new ByteArrayInputStream(raw));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable message: " + e.getMessage(), e);
    }
    try {
      Map<String, List<String>> headers = headers(m);
      Parts parts = new Parts();
      walk(m, parts, false);
      InboundMessage.DeliveryReport report = null;
      if (parts.status != null) {
        report = deliveryReport(parts.status, parts.originalMessageId);
      }
      String text = parts.plain != null ? parts.plain : parts.html != null ? HtmlText.of(parts.html) : "";
      Instant at = receivedAt != null ? receivedAt : m.getDate() != null ? m.getDate().toInstant() : null;
      String subject = m.getSubject() == null ? "" : m.getSubject();
      return new InboundMessage(sourceId, owner, from(m.getFrom()), subject, headers, text, at, report);
    } finally {
      m.dispose();
    }
  }

  private static Map<String, List<String>> headers(Entity e) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (e.getHeader() == null) {
      return out;
    }
    for (Field f : e.getHeader().getFields()) {
      String body = f.getBody() == null ? "" : f.getBody().replaceAll("\\r?\\n[ \\t]+", " ");
      out.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT).strip());
    }
    return out;
  }

  static String from(MailboxList list) {
    if (list == null || list.isEmpty()) {
      return null;
    }
    Mailbox mb = list.get(0);
    return mb.getAddress() == null ? null : Recipients.normalize(mb.getAddress());
  }

  /** What the walk found: the first text and HTML parts outside a returned message, a DSN's status part, the returned Message-ID. */
  private static final class Parts {
    String plain;
    String html;
    String status;
    String originalMessageId;
  }

  private static void walk(Entity e, Parts parts, boolean returned) {
    Body body = e.getBody();
    String type = e.getMimeType() == null ? "text/plain" : e.getMimeType().toLowerCase(Locale.ROOT);
    if (body instanceof Multipart mp) {
      for (Entity p : mp.getBodyParts()) {
        walk(p, parts, returned);
      }
    } else if (body instanceof Message nested) {
      // message/rfc822: the message a bounce returns. Its id ties the bounce to what we sent; its text is not the bounce's.
      if (parts.originalMessageId == null && nested.getMessageId() != null) {
        parts.originalMessageId = nested.getMessageId();
      }
      walk(nested, parts, true);
    } else if (body instanceof SingleBody sb) {
      if (returned) {
        return;
      }
      String content = read(sb);
      if (type.equals("message/delivery-status") || type.equals("message/global-delivery-status")) {
        parts.status = content;
      } else if (type.equals("text/rfc822-headers") || type.equals("message/rfc822-headers")) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?im)^message-id:\\s*(<[^>]+>)").matcher(content);
        if (id.find() && parts.originalMessageId == null) {
          parts.originalMessageId = id.group(1);
        }
      } else if (type.equals("text/plain") && parts.plain == null && !attachment(e)) {
        parts.plain = content;
      } else if (type.equals("text/html") && parts.html == null && !attachment(e)) {
        parts.html = content;
      }
    }
  }

  private static boolean attachment(Entity e) {
    return "attachment".equalsIgnoreCase(e.getDispositionType());
  }

  private static String read(SingleBody b) {
    try {
      if (b instanceof TextBody t) {
        StringBuilder sb = new StringBuilder();
        try (Reader r = t.getReader()) {
          char[] buf = new char[4096];
          for (int n; (n = r.read(buf)) > 0; ) {
            sb.append(buf, 0, n);
          }
        }
        return sb.toString();
      }
      try (InputStream in = b.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return "";
    }
  }

  /** RFC 3464: a per-message block, then one block per recipient, separated by blank lines. */
  static InboundMessage.DeliveryReport deliveryReport(String status, String originalMessageId) {
    List<InboundMessage.DeliveryReport.Recipient> recipients = new ArrayList<>();
    String unfolded = status.replace("\r\n", "\n").replaceAll("\n[ \t]+", " ");
    for (String block : unfolded.split("\n\\s*\n")) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String line : block.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          f.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
      }
      String recipient = f.getOrDefault("final-recipient", f.get("original-recipient"));
      if (recipient == null && !f.containsKey("action")) {
        continue;
      }
      recipients.add(
          new InboundMessage.DeliveryReport.Recipient(
              address(recipient), f.getOrDefault("action", "").toLowerCase(Locale.ROOT), statusCode(f.get("status")), f.get("diagnostic-code")));
    }
    return new InboundMessage.DeliveryReport(recipients, originalMessageId);
  }

  /** {@code rfc822; someone@example.com} → the address, canonical. */
  private static String address(String typed) {
    if (typed == null) {
      return null;
    }
    int semi = typed.indexOf(';');
    String a = (semi >= 0 ? typed.substring(semi + 1) : typed).strip();
    a = a.replaceAll("^<|>$", "");
    return a.isEmpty() ? null : Recipients.normalize(a);
  }

  private static String statusCode(String s) {
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})").matcher(s);
    return m.find() ? m.group() : null;
  }

  /** What {@code mail.simulate-inbound} delivers: a plain-text message with the headers given. */
  public record Draft(String from, String to, String subject, String body, String messageId, String inReplyTo, List<Map.Entry<String, String>> headers, Instant date) {}

  /** Writes {@code d} as an RFC 5322 message (UTF-8 text, quoted-printable as mime4j chooses). */
  public static byte[] write(Draft d) {
    try {
      Message.Builder b = Message.Builder.of();
      b.setFrom(d.from());
      b.setTo(d.to());
      b.setSubject(d.subject() == null ? "" : d.subject());
      b.setDate(Date.from(d.date()), java.util.TimeZone.getTimeZone("UTC"));
      b.setMessageId(d.messageId());
      if (d.inReplyTo() != null) {
        b.setField(DefaultFieldParser.parse("In-Reply-To: " + d.inReplyTo()));
        b.setField(DefaultFieldParser.parse("References: " + d.inReplyTo()));
      }
      for (Map.Entry<String, String> h : d.headers()) {
        b.addField(DefaultFieldParser.parse(h.getKey() + ": " + h.getValue()));
      }
      b.setBody(d.body() == null ? "" : d.body(), StandardCharsets.UTF_8);
      Message m = b.build();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new DefaultMessageWriter().writeMessage(m, out);
      return out.toByteArray();
    } catch (IOException | MimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
