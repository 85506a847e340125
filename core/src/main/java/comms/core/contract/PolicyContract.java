package comms.core.contract;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** communications.policy.contract.yaml: consent, quiet hours, STOP footer, limits and keywords. */
public record PolicyContract(
    Source source,
    Map<String, ConsentRule> consent,
    QuietHours quietHours,
    StopFooter stopFooter,
    int smsMaxSegments,
    Keywords keywords,
    List<ForbiddenPattern> forbiddenPatterns,
    BulkEmail bulkEmail) {
  public static final String FILE = "communications.policy.contract.yaml";
  public static final List<String> CONSENT_STATES = List.of("opted-in", "opted-out", "implied", "unknown");

  public PolicyContract {
    consent = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consent));
    forbiddenPatterns = List.copyOf(forbiddenPatterns);
  }

  /** Which consent states allow a send on one channel. {@code opted-out} never does. */
  public record ConsentRule(String channel, List<String> allowedStates, String note) {
    public ConsentRule {
      allowedStates = List.copyOf(allowedStates);
    }
  }

  /** The local-time window in which nothing is sent; may wrap midnight (21:00-08:00). */
  public record QuietHours(LocalTime start, LocalTime end, ZoneId defaultZone, List<String> channels) {
    public QuietHours {
      channels = List.copyOf(channels);
    }

    public boolean contains(LocalTime t) {
      if (start.equals(end)) {
        return false;
      }
      return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }
  }

  /** The opt-out footer every message on {@code channels} must carry. */
  public record StopFooter(String text, List<String> channels) {
    public StopFooter {
      channels = List.copyOf(channels);
    }
  }

  /**
   * Carrier keywords for inbound SMS, the replies they trigger, and the phrases that ask to stop in
   * words ("stop texting me"), which opt out wherever they appear in a message.
   */
  public record Keywords(
      List<String> optOut,
      List<String> optIn,
      List<String> help,
      String helpText,
      String optOutReply,
      String optInReply,
      List<String> optOutPhrases) {
    public Keywords {
      optOut = List.copyOf(optOut);
      optIn = List.copyOf(optIn);
      help = List.copyOf(help);
      optOutPhrases = List.copyOf(optOutPhrases);
    }

    public Keywords(List<String> optOut, List<String> optIn, List<String> help, String helpText, String optOutReply, String optInReply) {
      this(optOut, optIn, help, helpText, optOutReply, optInReply, List.of());
    }
  }

  public PolicyContract(
      Source source, Map<String, ConsentRule> consent, QuietHours quietHours, StopFooter stopFooter, int smsMaxSegments, Keywords keywords,
      List<ForbiddenPattern> forbiddenPatterns) {
    this(source, consent, quietHours, stopFooter, smsMaxSegments, keywords, forbiddenPatterns, null);
  }

  /**
   * What bulk-style email (sequence stages) must carry: the business's postal address for the footer
   * (CAN-SPAM, 15 U.S.C. 7704(a)(5)) and where an unsubscribe goes: a {@code mailto:} address and/or an
   * https one-click URL (RFC 8058), in which {@value #DELIVERY_ID_PLACEHOLDER} stands for the
   * delivery. Any part may be null when the contract leaves it out; the bulk-email gate then refuses.
   * {@code source} is where the section is (or the file, when there is none).
   */
  public record BulkEmail(Source source, String postalAddress, String unsubscribeMailto, String unsubscribeUrl) {
    public static final String DELIVERY_ID_PLACEHOLDER = "{delivery_id}";
  }

  /** A pattern no rendered message may contain, with the reason shown when it does. */
  public record ForbiddenPattern(String name, Pattern pattern, String reason) {}

  public static PolicyContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    YamlMap c = m.map("consent");
    Map<String, ConsentRule> consent = new LinkedHashMap<>();
    for (String channel : c.keys()) {
      YamlValue v = c.get(channel);
      if (!Channels.SENDABLE.contains(channel)) {
        throw v.error("consent channel '" + channel + "' is not known; use " + String.join(" or ", Channels.SENDABLE));
      }
      YamlMap r = v.asMap();
      List<String> states = r.list("allowed_states", s -> state(s));
      if (states.contains("opted-out")) {
        throw r.get("allowed_states").error("'opted-out' can never allow a send; remove it");
      }
      consent.put(channel, new ConsentRule(channel, states, r.string("note", "")));
      r.end();
    }
    c.end();
    YamlMap q = m.map("quiet_hours");
    QuietHours quiet =
        new QuietHours(time(q, "start"), time(q, "end"), zone(q, "default_zone"), q.list("channels", ProvidersContract::channel));
    q.end();
    YamlMap f = m.map("stop_footer");
    StopFooter footer = new StopFooter(f.string("text"), f.list("channels", ProvidersContract::channel));
    f.end();
    YamlMap sms = m.map("sms");
    int maxSegments = sms.integer("max_segments");
    if (maxSegments < 1 || maxSegments > 10) {
      throw sms.get("max_segments").error("max_segments must be between 1 and 10");
    }
    sms.end();
    YamlMap k = m.map("keywords");
    Keywords keywords =
        new Keywords(
            upper(k.strings("opt_out")),
            upper(k.strings("opt_in")),
            upper(k.strings("help")),
            k.string("help_text"),
            k.string("opt_out_reply"),
            k.string("opt_in_reply"),
            k.list("opt_out_phrases", PolicyContract::phrase, List.of()));
    k.end();
    List<ForbiddenPattern> forbidden = m.list("forbidden_patterns", PolicyContract::forbidden, List.of());
    BulkEmail bulk = m.optMap("bulk_email").map(PolicyContract::bulk).orElse(new BulkEmail(root.source(), null, null, null));
    m.end();
    return new PolicyContract(root.source(), consent, quiet, footer, maxSegments, keywords, forbidden, bulk);
  }

  private static BulkEmail bulk(YamlMap b) {
    String postal = b.opt("postal_address").map(v -> v.asString().strip()).orElse(null);
    if (postal != null && (postal.isEmpty() || postal.lines().count() > 4)) {
      throw b.get("postal_address").error("postal_address must be the business's postal address on at most four lines, such as \"Lakeside Print, 1200 W Lake St, Chicago, IL 60607\"");
    }
    String mailto = b.opt("unsubscribe_mailto").map(v -> {
      String a = v.asString().strip();
      if (!a.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
        throw v.error("unsubscribe_mailto must be a plain address such as unsubscribe@example.com (comms writes the mailto: itself)");
      }
      return a;
    }).orElse(null);
    String url = b.opt("unsubscribe_url").map(v -> {
      String u = v.asString().strip();
      if (!u.startsWith("https://") || u.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',')) {
        throw v.error("unsubscribe_url must be an https URL without spaces, commas or angle brackets (RFC 8058 one-click needs https); "
            + BulkEmail.DELIVERY_ID_PLACEHOLDER + " in it stands for the delivery");
      }
      return u;
    }).orElse(null);
    b.end();
    return new BulkEmail(b.source(), postal, mailto, url);
  }

  private static List<String> upper(List<String> words) {
    return words.stream().map(w -> w.trim().toUpperCase(java.util.Locale.ROOT)).toList();
  }

  private static String phrase(YamlValue v) {
    String p = v.asString().strip();
    if (p.codePoints().noneMatch(Character::isLetterOrDigit)) {
      throw v.error("opt-out phrase '" + p + "' has no words; write the words a person would send, such as \"stop texting me\"");
    }
    return p;
  }

  static String state(YamlValue v) {
    String s = v.asString();
    if (!CONSENT_STATES.contains(s)) {
      throw v.error("consent state '" + s + "' is not known; use one of " + String.join(", ", CONSENT_STATES));
    }
    return s;
  }

  private static LocalTime time(YamlMap m, String key) {
    YamlValue v = m.get(key);
    try {
      return LocalTime.parse(v.asString());
    } catch (DateTimeParseException e) {
      throw v.error("'" + key + "' must be a 24-hour time such as 21:00 (quote it: \"21:00\")");
    }
  }

  private static ZoneId zone(YamlMap m, String key) {
    YamlValue v = m.get(key);
    try {
      return ZoneId.of(v.asString());
    } catch (DateTimeException e) {
      throw v.error("'" + v.asString() + "' is not an IANA time zone such as America/Chicago");
    }
  }

  private static ForbiddenPattern forbidden(YamlValue v) {
    YamlMap m = v.asMap();
    YamlValue rx = m.get("regex");
    Pattern p;
    try {
      p = Pattern.compile(rx.asString(), Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw rx.error("regex does not compile: " + e.getDescription());
    }
    ForbiddenPattern fp = new ForbiddenPattern(m.string("name"), p, m.string("reason"));
    m.end();
    return fp;
  }
}
