package comms.core.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** communications.providers.contract.yaml: each provider, the channels it serves, endpoints and secret names. */
public record ProvidersContract(Source source, List<Provider> providers) {
  public static final String FILE = "communications.providers.contract.yaml";
  public static final List<String> KINDS = List.of("gmail", "microsoft-graph", "resend", "twilio");
  /** Google's OAuth 2.0 token endpoint, where a gmail provider gets its access tokens unless token_url says otherwise. */
  public static final String GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

  public ProvidersContract {
    providers = List.copyOf(providers);
  }

  /**
   * One provider. {@code env} maps a role (such as {@code auth_token}) to the name of the environment
   * variable that holds it; values are only ever read from the environment, never from contracts.
   * {@code authorityUrl} is the token endpoint: Microsoft's authority for microsoft-graph, the OAuth
   * token URL ({@code token_url}) for gmail; {@code topic} the Cloud Pub/Sub topic a gmail provider's
   * {@code users.watch} publishes to (null for the others).
   */
  public record Provider(
      Source source,
      String name,
      String kind,
      List<String> channels,
      String baseUrl,
      String authorityUrl,
      Map<String, String> env,
      String from,
      String messagingServiceSid,
      int connectTimeoutMs,
      int readTimeoutMs,
      Rate rate,
      String topic) {
    public Provider {
      channels = List.copyOf(channels);
      env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    public Provider(
        Source source, String name, String kind, List<String> channels, String baseUrl, String authorityUrl, Map<String, String> env, String from,
        String messagingServiceSid, int connectTimeoutMs, int readTimeoutMs, Rate rate) {
      this(source, name, kind, channels, baseUrl, authorityUrl, env, from, messagingServiceSid, connectTimeoutMs, readTimeoutMs, rate, null);
    }

    /** The OAuth token endpoint of a gmail provider (its token_url, else Google's). */
    public String tokenUrl() {
      return authorityUrl;
    }

    public boolean serves(String channel) {
      return channels.contains(channel);
    }
  }

  /**
   * The provider's send rate: at most {@code limit} units per {@code per} (a second or a minute),
   * counted in messages or (Twilio) SMS segments, for the whole account or per sender (a number, a
   * mailbox). Sends are paced one unit every {@link #interval()}, so no window of that length ever
   * holds more than the limit.
   */
  public record Rate(int limit, String per, String unit, String scope) {
    public static final List<String> PER = List.of("second", "minute");
    public static final List<String> UNITS = List.of("message", "segment");
    public static final List<String> SCOPES = List.of("account", "sender");

    /**
     * The providers' documented limits: Resend 2 requests/s per account; Twilio 1 segment/s per
     * long-code number; Graph 30 messages/min per mailbox; Gmail 60 messages/min per mailbox (6,000
     * quota units a minute per user for projects created since May 2026, 100 units a send).
     */
    public static Rate defaultFor(String kind) {
      return switch (kind) {
        case "resend" -> new Rate(2, "second", "message", "account");
        case "twilio" -> new Rate(1, "second", "segment", "sender");
        case "microsoft-graph" -> new Rate(30, "minute", "message", "sender");
        case "gmail" -> new Rate(60, "minute", "message", "sender");
        default -> throw new IllegalArgumentException(kind);
      };
    }

    /** The time one unit takes: the window divided by the limit. */
    public java.time.Duration interval() {
      java.time.Duration window = per.equals("minute") ? java.time.Duration.ofMinutes(1) : java.time.Duration.ofSeconds(1);
      return window.dividedBy(limit);
    }

    /** How it reads in status output and AGENTS.md, e.g. "2 messages per second per account". */
    public String describe() {
      return limit + " " + unit + (limit == 1 ? "" : "s") + " per " + per + " per " + scope;
    }
  }

  /** The provider of kind {@code backend} that serves pilot mailboxes (the stack's execution backend), if any. */
  public Optional<Provider> mailboxBackend(String backend) {
    return providers.stream().filter(p -> p.kind().equals(backend) && p.serves(Channels.MAILBOX)).findFirst();
  }

  public Optional<Provider> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  static String defaultBaseUrl(String kind) {
    return switch (kind) {
      case "microsoft-graph" -> "https://graph.microsoft.com/v1.0";
      case "gmail" -> "https://gmail.googleapis.com";
      case "resend" -> "https://api.resend.com";
      case "twilio" -> "https://api.twilio.com";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  public static ProvidersContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    YamlMap ps = m.map("providers");
    List<Provider> providers = ps.entries((name, v) -> provider(name, v));
    ps.end();
    m.end();
    return new ProvidersContract(root.source(), providers);
  }

  private static Provider provider(String name, YamlValue v) {
    YamlMap m = v.asMap();
    String kind = m.oneOf("kind", KINDS);
    List<String> channels = m.list("channels", c -> channel(c));
    String baseUrl = url(m, "base_url", defaultBaseUrl(kind));
    String authority =
        kind.equals("microsoft-graph")
            ? url(m, "authority_url", "https://login.microsoftonline.com")
            : kind.equals("gmail") ? url(m, "token_url", GOOGLE_TOKEN_URL) : null;
    String topic = kind.equals("gmail") ? topic(m) : null;
    Map<String, String> env = new LinkedHashMap<>();
    YamlMap e = m.map("env");
    for (String role : e.keys()) {
      String var = e.string(role);
      if (!var.matches("[A-Z_][A-Z0-9_]*")) {
        throw e.get(role).error("'" + var + "' is not an environment variable name (use UPPER_SNAKE_CASE); contracts name secrets, never hold them");
      }
      env.put(role, var);
    }
    e.end();
    Provider p =
        new Provider(
            m.source(),
            name,
            kind,
            channels,
            baseUrl,
            authority,
            env,
            m.string("from", null),
            m.string("messaging_service_sid", null),
            m.integer("connect_timeout_ms", 5000),
            m.integer("read_timeout_ms", 15000),
            rate(m, kind),
            topic);
    m.end();
    return p;
  }

  /** A gmail provider's Pub/Sub topic, {@code projects/PROJECT/topics/TOPIC} as users.watch wants it; null when not given. */
  private static String topic(YamlMap m) {
    if (!m.has("topic")) {
      m.opt("topic");
      return null;
    }
    String t = m.string("topic").strip();
    if (!t.matches("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~%+-]{2,254}")) {
      throw m.get("topic").error("'" + t + "' is not a Cloud Pub/Sub topic name; write projects/PROJECT_ID/topics/TOPIC (see the README, Gmail mailboxes)");
    }
    return t;
  }

  private static Rate rate(YamlMap m, String kind) {
    Rate fallback = Rate.defaultFor(kind);
    if (!m.has("rate")) {
      m.opt("rate");
      return fallback;
    }
    YamlMap r = m.map("rate");
    int limit = r.integer("limit");
    if (limit < 1 || limit > 1000) {
      throw r.get("limit").error("rate limit " + limit + " is out of range; give the provider's documented limit, 1 to 1000");
    }
    Rate rate =
        new Rate(
            limit,
            r.oneOf("per", Rate.PER, fallback.per()),
            r.oneOf("unit", Rate.UNITS, fallback.unit()),
            r.oneOf("scope", Rate.SCOPES, fallback.scope()));
    if (rate.unit().equals("segment") && !kind.equals("twilio")) {
      throw r.get("unit").error("only SMS (twilio) counts its rate in segments; use unit: message");
    }
    r.end();
    return rate;
  }

  static String channel(YamlValue v) {
    String c = v.asString();
    if (!Channels.ALL.contains(c)) {
      throw v.error("channel '" + c + "' is not known; use one of " + String.join(", ", Channels.ALL));
    }
    return c;
  }

  private static String url(YamlMap m, String key, String fallback) {
    if (!m.has(key)) {
      m.opt(key);
      return fallback;
    }
    String u = m.string(key);
    if (!u.startsWith("https://") && !u.startsWith("http://127.0.0.1") && !u.startsWith("http://localhost")) {
      throw m.get(key).error("'" + u + "' must be an https:// URL (plain http is allowed only for 127.0.0.1 and localhost)");
    }
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
