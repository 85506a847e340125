package comms.core.reply;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.contract.YamlMap;
import comms.core.contract.YamlValue;
import comms.core.store.SentMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Puts inbound messages into the simulated inbox, so every reply path runs offline: one message
 * from options ({@code mail.simulate-inbound --from … --to OWNER …}) or many from a fixtures file
 * (YAML: {@code messages:} of {@code from, to, subject, body, in_reply_to, headers}, or
 * {@code eml: FILE} with {@code to}). {@code in_reply_to: last} names the newest Message-ID the
 * owner sent that address, as a mail client answering it would.
 */
public final class SimulatedInbound {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SimulatedInbox inbox;
  private final SentMessages sent;

  public SimulatedInbound(SimulatedInbox inbox, SentMessages sent) {
    this.inbox = inbox;
    this.sent = sent;
  }

  /** One message to deliver: built from fields, or {@code raw} as given (an .eml), into {@code owner}'s inbox. */
  public record Item(String owner, String from, String subject, String body, String inReplyTo, List<Map.Entry<String, String>> headers, byte[] raw, String where) {}

  /** What was delivered: the inbox id, for whom, from whom, and the Message-ID it answers (if any). */
  public record Delivered(String id, String owner, String from, String inReplyTo) {}

  /** Checks every item first (all or nothing), then delivers them at {@code at}. */
  public List<Delivered> deliver(List<Item> items, Instant at, boolean execute) {
    List<byte[]> raws = new ArrayList<>();
    List<Delivered> out = new ArrayList<>();
    for (Item i : items) {
      String owner = Recipients.normalize(i.owner());
      byte[] raw = i.raw();
      String answers = null;
      if (raw == null) {
        answers = resolve(i, owner);
        raw = MimeMessages.write(new MimeMessages.Draft(i.from(), owner, i.subject(), i.body(), newMessageId(i.from()), answers, i.headers(), at));
      }
      InboundMessage parsed;
      try {
        parsed = MimeMessages.parse("check", owner, raw, at);
      } catch (IllegalArgumentException e) {
        throw new CommsException(ExitCode.USAGE, i.where() + ": not a message comms can read (" + e.getMessage() + ")");
      }
      raws.add(raw);
      out.add(new Delivered(null, owner, parsed.from(), answers != null ? answers : parsed.inReplyTo().stream().findFirst().map(x -> "<" + x + ">").orElse(null)));
    }
    if (!execute) {
      return out;
    }
    List<Delivered> done = new ArrayList<>();
    for (int k = 0; k < out.size(); k++) {
      Delivered d = out.get(k);
      done.add(new Delivered(inbox.deliver(d.owner(), raws.get(k), at), d.owner(), d.from(), d.inReplyTo()));
    }
    return done;
  }

  private String resolve(Item i, String owner) {
    if (i.from() == null || i.from().isBlank()) {
      throw new CommsException(ExitCode.USAGE, i.where() + ": a message needs from (the sender's address)");
    }
    if (i.inReplyTo() == null || i.inReplyTo().isBlank()) {
      return null;
    }
    if (i.inReplyTo().equals("last")) {
      String sender = Recipients.normalize(address(i.from()));
      return sent.to(owner, sender).stream().findFirst().map(s -> "<" + s.messageId() + ">").orElseThrow(() -> new CommsException(
          ExitCode.USAGE, i.where() + ": in-reply-to last: " + owner + " has sent " + sender + " nothing with a Message-ID yet (run the sequence first)"));
    }
    String id = i.inReplyTo().strip();
    if (!id.matches("<?[^<>\\s@]+@[^<>\\s@]+>?")) {
      throw new CommsException(ExitCode.USAGE, i.where() + ": in-reply-to '" + id + "' is not a Message-ID (<id@domain>) nor 'last'");
    }
    return id.startsWith("<") ? id : "<" + id + ">";
  }

  static String address(String from) {
    int lt = from.lastIndexOf('<');
    int gt = from.lastIndexOf('>');
    return lt >= 0 && gt > lt ? from.substring(lt + 1, gt) : from.strip();
  }

  private static String newMessageId(String from) {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    String a = address(from == null ? "" : from);
    String domain = a.contains("@") ? a.substring(a.lastIndexOf('@') + 1) : "simulated.invalid";
    return "<sim." + HexFormat.of().formatHex(b) + "@" + domain + ">";
  }

  /** A header option or fixture entry {@code Name:Value}. */
  public static Map.Entry<String, String> header(String text, String where) {
    int colon = text.indexOf(':');
    if (colon <= 0 || !text.substring(0, colon).strip().matches("[!-9;-~]+")) {
      throw new CommsException(ExitCode.USAGE, where + " '" + text + "' must be NAME:VALUE (Auto-Submitted:auto-replied)");
    }
    String value = text.substring(colon + 1).strip();
    if (value.contains("\r") || value.contains("\n")) {
      throw new CommsException(ExitCode.USAGE, where + " '" + text + "': a header value cannot contain a line break");
    }
    return Map.entry(text.substring(0, colon).strip(), value);
  }

  /** The messages of a fixtures file; a bad entry is refused at its file:line. */
  public static List<Item> fixtures(Path file, String defaultOwner) {
    YamlValue root = YamlValue.parse(file, file.toString());
    YamlMap m = root.asMap();
    List<Item> items = m.list("messages", v -> item(v, file, defaultOwner));
    m.end();
    if (items.isEmpty()) {
      throw new CommsException(ExitCode.USAGE, m.get("messages").source().where() + ": 'messages' is empty; list at least one message");
    }
    return items;
  }

  private static Item item(YamlValue v, Path file, String defaultOwner) {
    YamlMap m = v.asMap();
    String where = m.source().where();
    String owner = m.string("to", defaultOwner);
    if (owner == null) {
      throw new CommsException(ExitCode.USAGE, where + ": a message needs 'to' (the owner whose inbox gets it), or give --to");
    }
    if (m.has("eml")) {
      Path eml = file.toAbsolutePath().getParent().resolve(m.string("eml"));
      byte[] raw;
      try {
        if (!Files.isRegularFile(eml) || Files.size(eml) > YamlValue.MAX_FILE_BYTES) {
          throw new CommsException(ExitCode.USAGE, m.get("eml").source().where() + ": 'eml' names " + eml + ", which is not a file of at most 1 MB");
        }
        raw = Files.readAllBytes(eml);
      } catch (java.io.IOException e) {
        throw new CommsException(ExitCode.USAGE, m.get("eml").source().where() + ": cannot read " + eml + " (" + e.getMessage() + ")");
      }
      m.end();
      return new Item(owner, null, null, null, null, List.of(), raw, where);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    m.optMap("headers").ifPresent(h -> headers.addAll(h.entries((k, val) -> header(k + ":" + val.asString(), h.source().where()))));
    Item i = new Item(owner, m.string("from"), m.string("subject", ""), m.string("body", ""), m.string("in_reply_to", null), headers, null, where);
    m.end();
    return i;
  }
}
