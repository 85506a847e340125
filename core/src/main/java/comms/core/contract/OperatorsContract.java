package comms.core.contract;

import comms.core.Recipients;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * communications.operators.yaml: the operators every mutating command acts for, the default one,
 * their caps, and when email goes out From the acting operator. It seeds the store's roster.
 */
public record OperatorsContract(
    Source source, String defaultOperator, int defaultDailyCap, int defaultPerMinuteCap, EmailFrom emailFrom, List<Operator> operators, ApiTokens apiTokens) {
  public static final String FILE = "communications.operators.yaml";
  public static final List<String> ROLES = List.of("operator", "admin");
  public static final int DAILY_CAP = 1000;
  public static final int PER_MINUTE_CAP = 30;
  public static final int MAX_DAILY_CAP = 1_000_000;
  public static final int MAX_PER_MINUTE_CAP = 10_000;

  /** An operator's address as the roster spells it: trimmed, lower-case. */
  public static final Pattern EMAIL = Pattern.compile("[^@\\s:]+@[^@\\s]+\\.[^@\\s]+");

  public OperatorsContract {
    operators = List.copyOf(operators);
    apiTokens = apiTokens == null ? ApiTokens.NONE : apiTokens;
  }

  /** The asymmetric algorithms an identity provider may sign API tokens with, its keys read from a JWKS URL. */
  public static final List<String> JWKS_ALGORITHMS = List.of("RS256", "ES256");

  /**
   * Where comms serve finds the public keys of RS256/ES256 API tokens (an identity provider's JWKS URL),
   * besides HS256 with the shared secret; {@link #NONE}: HS256 only.
   */
  public record ApiTokens(Source source, java.net.URI jwksUrl, List<String> algorithms) {
    public static final ApiTokens NONE = new ApiTokens(null, null, List.of());

    public ApiTokens {
      algorithms = List.copyOf(algorithms);
    }
  }

  /**
   * One operator as the contract names them; an email address is their identity. {@code mailbox}:
   * their own mailbox (a gmail provider) when they have one, else null.
   */
  public record Operator(
      Source source, String email, String displayName, String role, int dailyCap, int perMinuteCap, boolean active, Mailbox mailbox) {
    public Operator(Source source, String email, String displayName, String role, int dailyCap, int perMinuteCap, boolean active) {
      this(source, email, displayName, role, dailyCap, perMinuteCap, active, null);
    }
  }

  /**
   * An operator's own mailbox: the provider it is reached through (a gmail provider in the providers
   * contract), and, when that provider signs in with OAuth refresh tokens rather than a service
   * account, the NAME of the variable that holds this operator's refresh token.
   */
  public record Mailbox(Source source, String provider, String refreshTokenEnv) {}

  /** The operator's own mailbox, when the contract gives them one. */
  public Optional<Mailbox> mailbox(String email) {
    return operator(email).map(Operator::mailbox);
  }

  /** Which providers send email From the acting operator, and for which of their domains. */
  public record EmailFrom(Source source, List<String> providers, List<String> domains) {
    public static final EmailFrom NONE = new EmailFrom(null, List.of(), List.of());

    public EmailFrom {
      providers = List.copyOf(providers);
      domains = List.copyOf(domains);
    }

    /** True when mail through {@code provider} may carry {@code address} as its From. */
    public boolean allows(String provider, String address) {
      if (!providers.contains(provider) || address == null) {
        return false;
      }
      String domain = Recipients.domain(address.substring(address.lastIndexOf('@') + 1));
      return domains.contains(domain);
    }
  }

  public Optional<Operator> operator(String email) {
    String e = normalize(email);
    return operators.stream().filter(o -> o.email().equals(e)).findFirst();
  }

  /** How the roster spells an address: the canonical form of {@link Recipients} (a name without '@' trimmed and lower-cased). */
  public static String normalize(String email) {
    if (email == null) {
      return null;
    }
    String n = Recipients.normalize(email);
    return Recipients.isEmail(n) ? n : email.strip().toLowerCase(Locale.ROOT);
  }

  public static OperatorsContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    YamlValue defNode = m.get("default_operator");
    String def = email(defNode);
    int daily = DAILY_CAP;
    int perMinute = PER_MINUTE_CAP;
    Optional<YamlMap> d = m.optMap("defaults");
    if (d.isPresent()) {
      daily = cap(d.get(), "daily_cap", DAILY_CAP, MAX_DAILY_CAP);
      perMinute = cap(d.get(), "per_minute_cap", PER_MINUTE_CAP, MAX_PER_MINUTE_CAP);
      d.get().end();
    }
    EmailFrom from = EmailFrom.NONE;
    Optional<YamlMap> f = m.optMap("email_from");
    if (f.isPresent()) {
      YamlMap fm = f.get();
      List<String> providers = fm.list("providers", v -> v.asString());
      List<String> domains = fm.list("domains", OperatorsContract::domain);
      fm.end();
      from = new EmailFrom(fm.source(), providers, domains);
    }
    ApiTokens tokens = ApiTokens.NONE;
    Optional<YamlMap> t = m.optMap("api_tokens");
    if (t.isPresent()) {
      YamlMap tm = t.get();
      YamlValue urlNode = tm.get("jwks_url");
      java.net.URI url;
      try {
        url = new java.net.URI(urlNode.asString().strip());
      } catch (java.net.URISyntaxException e) {
        throw urlNode.error("jwks_url is not a URL (" + e.getReason() + ")");
      }
      boolean loopback = url.getHost() != null && (url.getHost().equals("127.0.0.1") || url.getHost().equals("localhost") || url.getHost().equals("[::1]"));
      if (!"https".equals(url.getScheme()) && !("http".equals(url.getScheme()) && loopback)) {
        throw urlNode.error("jwks_url must be https:// (plain http only on loopback, for tests)");
      }
      List<String> algs = tm.list("algorithms", v -> v.asString(), JWKS_ALGORITHMS);
      for (String a : algs) {
        if (!JWKS_ALGORITHMS.contains(a)) {
          throw tm.get("algorithms").error("algorithm " + a + " is not one of " + JWKS_ALGORITHMS + " (HS256 uses the shared secret, not a JWKS)");
        }
      }
      tm.end();
      tokens = new ApiTokens(tm.source(), url, algs);
    }
    int dailyDefault = daily;
    int minuteDefault = perMinute;
    List<Operator> ops = m.list("operators", v -> operator(v, dailyDefault, minuteDefault));
    if (ops.isEmpty()) {
      throw m.get("operators").error("the roster is empty; name at least the default operator");
    }
    Set<String> seen = new HashSet<>();
    for (Operator o : ops) {
      if (!seen.add(o.email())) {
        throw new ContractException(o.source(), "operator " + o.email() + " is listed twice; keep one entry per address");
      }
    }
    Operator chosen =
        ops.stream()
            .filter(o -> o.email().equals(def))
            .findFirst()
            .orElseThrow(() -> defNode.error("default_operator " + def + " is not in operators[]; add them or name one who is"));
    if (!chosen.active()) {
      throw defNode.error("default_operator " + def + " is not active; name an active operator");
    }
    m.end();
    return new OperatorsContract(root.source(), def, daily, perMinute, from, ops, tokens);
  }

  private static Operator operator(YamlValue v, int dailyDefault, int minuteDefault) {
    YamlMap m = v.asMap();
    String email = email(m.get("email"));
    Operator o =
        new Operator(
            m.source(),
            email,
            m.string("display_name").strip(),
            m.oneOf("role", ROLES),
            cap(m, "daily_cap", dailyDefault, MAX_DAILY_CAP),
            cap(m, "per_minute_cap", minuteDefault, MAX_PER_MINUTE_CAP),
            m.bool("active", true),
            mailbox(m));
    m.end();
    return o;
  }

  private static Mailbox mailbox(YamlMap m) {
    Optional<YamlMap> box = m.optMap("mailbox");
    if (box.isEmpty()) {
      return null;
    }
    YamlMap b = box.get();
    String provider = b.string("provider").strip();
    String var = b.string("refresh_token_env", null);
    if (var != null && !var.matches("[A-Z_][A-Z0-9_]*")) {
      throw b.get("refresh_token_env").error("'" + var + "' is not an environment variable name (use UPPER_SNAKE_CASE); contracts name secrets, never hold them");
    }
    b.end();
    return new Mailbox(b.source(), provider, var);
  }

  private static String email(YamlValue v) {
    String e = v.asString().strip();
    if (!EMAIL.matcher(e).matches()) {
      throw v.error("'" + e + "' is not an email address such as dana@example.com");
    }
    return normalize(e);
  }

  private static String domain(YamlValue v) {
    String d = v.asString().strip();
    if (!d.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
      throw v.error("'" + d + "' is not a domain such as example.com (no '@')");
    }
    return d.toLowerCase(Locale.ROOT);
  }

  private static int cap(YamlMap m, String key, int fallback, int max) {
    int c = m.integer(key, fallback);
    if (c < 0 || c > max) {
      throw m.get(key).error("'" + key + "' is " + c + "; use 0 to " + max + " (0 stops the operator from sending)");
    }
    return c;
  }
}
