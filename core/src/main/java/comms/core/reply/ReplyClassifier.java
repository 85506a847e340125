package comms.core.reply;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a person's reply from what machines send back. In order: a delivery report (DSN, or
 * mailer-daemon text) is a bounce, hard for 5.x.x, soft for 4.x.x; a message with an automatic
 * marker is an auto-reply (an out-of-office when its words say so), never a reply; mailing-list mail
 * is bulk; the rest is a human reply. The markers: RFC 3834 {@code Auto-Submitted} other than
 * {@code no}; {@code X-Autoreply}; {@code X-Autorespond}; {@code Precedence: bulk|auto_reply|junk};
 * an empty {@code Return-Path} (RFC 5321 null sender); Exchange's {@code X-MS-Exchange-Generated-Message-Source}
 * and "Automatic reply:" subjects.
 */
public final class ReplyClassifier {
  private ReplyClassifier() {}

  private static final Pattern DAEMON = Pattern.compile("^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", Pattern.CASE_INSENSITIVE);
  private static final Pattern AUTO_SUBJECT =
      Pattern.compile("^\\s*(automatic reply|auto(matic)?[ -]?reply|autoresponse|auto response|auto:|out of (the )?office( reply| autoreply)?\\s*:|abwesenheitsnotiz|réponse automatique|respuesta automática)", Pattern.CASE_INSENSITIVE);
  private static final Pattern OOO_WORDS =
      Pattern.compile(
          "out of (the )?office|\\booo\\b|on (annual |parental |sick |maternity |paternity )?leave|on vacation|on holiday|away from (the office|my desk|work)"
              + "|currently away|limited access to (my )?e-?mail|i am away|i'm away|i will be away|i'll be away|back in the office|return(ing)? to the office"
              + "|abwesend|absent du bureau|vacation responder|automatic reply",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern BOUNCE_SUBJECT =
      Pattern.compile("undeliver|delivery status notification|returned mail|delivery (has )?failed|failure notice|mail delivery failed|delivery failure|non-?delivery|could not be delivered", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
  private static final Pattern SMTP_REPLY = Pattern.compile("\\b([45])\\d\\d[ -]");

  public static Classification classify(InboundMessage m) {
    Optional<Classification> bounce = bounce(m);
    if (bounce.isPresent()) {
      return bounce.get();
    }
    Optional<String> marker = autoMarker(m);
    boolean oooWords = OOO_WORDS.matcher(m.subject()).find() || OOO_WORDS.matcher(head(m.text())).find();
    if (marker.isPresent()) {
      if (oooWords) {
        return new Classification(Classification.Kind.OUT_OF_OFFICE, marker.get(), ReturnDate.read(m.subject() + "\n" + m.text(), m.receivedAt()).orElse(null), null, null);
      }
      return Classification.of(Classification.Kind.AUTO_REPLY, marker.get());
    }
    if (m.has("list-id") || m.has("list-unsubscribe") || m.header("precedence").map(p -> p.equalsIgnoreCase("list")).orElse(false)) {
      return Classification.of(Classification.Kind.BULK, m.has("list-id") ? "List-Id" : m.has("list-unsubscribe") ? "List-Unsubscribe" : "Precedence: list");
    }
    return Classification.of(Classification.Kind.HUMAN_REPLY, "no automatic marker");
  }

  /** The first automatic-message marker the message carries, if any. */
  static Optional<String> autoMarker(InboundMessage m) {
    Optional<String> auto = m.header("auto-submitted");
    if (auto.isPresent() && !auto.get().toLowerCase(Locale.ROOT).startsWith("no")) {
      return Optional.of("Auto-Submitted: " + auto.get());
    }
    for (String h : List.of("x-autoreply", "x-autorespond", "x-ms-exchange-generated-message-source")) {
      if (m.has(h)) {
        return Optional.of(canonical(h));
      }
    }
    Optional<String> precedence = m.header("precedence").map(p -> p.toLowerCase(Locale.ROOT));
    if (precedence.isPresent() && List.of("bulk", "auto_reply", "junk").contains(precedence.get())) {
      return Optional.of("Precedence: " + precedence.get());
    }
    Optional<String> rp = m.header("return-path");
    if (rp.isPresent() && rp.get().replaceAll("[<>\\s]", "").isEmpty()) {
      return Optional.of("Return-Path: <>");
    }
    if (AUTO_SUBJECT.matcher(m.subject()).find()) {
      return Optional.of("subject: " + m.subject().strip());
    }
    return Optional.empty();
  }

  private static String canonical(String h) {
    return switch (h) {
      case "x-autoreply" -> "X-Autoreply";
      case "x-autorespond" -> "X-Autorespond";
      default -> "X-MS-Exchange-Generated-Message-Source";
    };
  }

  /** A DSN's failed or delayed recipient, else a mailer-daemon's message read for its status code. */
  static Optional<Classification> bounce(InboundMessage m) {
    String contentType = m.header("content-type").orElse("").toLowerCase(Locale.ROOT);
    boolean dsn = contentType.startsWith("multipart/report") && contentType.contains("delivery-status");
    boolean daemon = m.from() == null ? false : DAEMON.matcher(m.from()).find();
    if (m.report() != null) {
      for (InboundMessage.DeliveryReport.Recipient r : m.report().recipients()) {
        String s = r.status() == null ? "" : r.status();
        if (r.action().equals("failed") || s.startsWith("5.")) {
          return Optional.of(new Classification(s.startsWith("4.") ? Classification.Kind.BOUNCE_SOFT : Classification.Kind.BOUNCE_HARD, "DSN Action: " + r.action(),
              null, s.isEmpty() ? "5.0.0" : s, r.address()));
        }
        if (r.action().equals("delayed") || s.startsWith("4.")) {
          return Optional.of(new Classification(Classification.Kind.BOUNCE_SOFT, "DSN Action: " + r.action(), null, s.isEmpty() ? "4.0.0" : s, r.address()));
        }
      }
      if (dsn) {
        // delivered / relayed / expanded: a success report, not a bounce and not a reply.
        return Optional.of(Classification.of(Classification.Kind.AUTO_REPLY, "DSN without a failure"));
      }
    }
    if (!dsn && !(daemon && (BOUNCE_SUBJECT.matcher(m.subject()).find() || m.text().isEmpty() || ENHANCED.matcher(m.text()).find()))) {
      return Optional.empty();
    }
    // No machine-readable report: read the text, as the old mailers write it.
    Matcher enhanced = ENHANCED.matcher(m.text());
    String status = null;
    while (enhanced.find()) {
      if (!enhanced.group(1).equals("2")) {
        status = enhanced.group();
        break;
      }
    }
    if (status == null) {
      Matcher smtp = SMTP_REPLY.matcher(m.text());
      status = smtp.find() ? smtp.group(1) + ".0.0" : null;
    }
    String who = bouncedAddress(m.text());
    if (status == null) {
      return Optional.of(new Classification(Classification.Kind.BOUNCE_SOFT, daemon ? "from " + m.from() : "DSN", null, null, who));
    }
    return Optional.of(new Classification(status.startsWith("5") ? Classification.Kind.BOUNCE_HARD : Classification.Kind.BOUNCE_SOFT, daemon ? "from " + m.from() : "DSN", null, status, who));
  }

  private static String bouncedAddress(String text) {
    Matcher m = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}").matcher(text);
    while (m.find()) {
      String a = m.group().toLowerCase(Locale.ROOT);
      if (!DAEMON.matcher(a).find()) {
        return a;
      }
    }
    return null;
  }

  /** The first lines of a message, where an out-of-office says so (not the quoted thread below). */
  private static String head(String text) {
    String t = text.length() > 2000 ? text.substring(0, 2000) : text;
    int quote = t.indexOf("\n>");
    return quote > 0 ? t.substring(0, quote) : t;
  }
}
