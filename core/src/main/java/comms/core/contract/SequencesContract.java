package comms.core.contract;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * communications.sequences.contract.yaml: the rules every outbound sequence lives under — the widest
 * send window, the default holiday calendar, limits, forbidden names, approval tiers by recipient count,
 * out-of-office pauses, reply-watch freshness, the stage triggers allowed, and how engagement webhooks
 * are verified and which opens count.
 */
public record SequencesContract(
    Source source,
    Window sendWindow,
    Holidays holidays,
    Limits limits,
    List<ForbiddenName> forbiddenNames,
    Approvals approvals,
    int outOfOfficePauseDays,
    Duration watchMaxAge,
    Triggers triggers,
    WatchAlert watchAlert,
    EngagementRules engagement,
    ImessageRules imessage) {
  public static final String FILE = "communications.sequences.contract.yaml";

  /** Day names as the contract writes them, Monday first. */
  public static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  /** The approval kinds a tier may name, weakest first. */
  public static final List<String> APPROVAL_KINDS = List.of("none", "confirm", "multipov", "token");

  /** The triggers comms can evaluate; a contract may allow fewer, never others. */
  public static final List<String> KNOWN_TRIGGERS = List.of("always", "no_reply", "no_engagement");

  /**
   * When a watch that stays unhealthy is reported to people: after {@code after} unhealthy, once per
   * incident, to the Slack incoming webhook whose URL is in environment variable {@code webhookEnv}
   * (the URL is a secret, so the contract names only the variable); null: no alert is configured.
   */
  public record WatchAlert(Duration after, String webhookEnv) {}

  public SequencesContract(
      Source source, Window sendWindow, Holidays holidays, Limits limits, List<ForbiddenName> forbiddenNames, Approvals approvals, int outOfOfficePauseDays,
      Duration watchMaxAge, Triggers triggers) {
    this(source, sendWindow, holidays, limits, forbiddenNames, approvals, outOfOfficePauseDays, watchMaxAge, triggers, new WatchAlert(Duration.ofMinutes(10), null), EngagementRules.DEFAULTS);
  }

  /** A contract without an iMessage section (nobody may use iMessage). */
  public SequencesContract(
      Source source, Window sendWindow, Holidays holidays, Limits limits, List<ForbiddenName> forbiddenNames, Approvals approvals, int outOfOfficePauseDays,
      Duration watchMaxAge, Triggers triggers, WatchAlert watchAlert, EngagementRules engagement) {
    this(source, sendWindow, holidays, limits, forbiddenNames, approvals, outOfOfficePauseDays, watchMaxAge, triggers, watchAlert, engagement, ImessageRules.OFF);
  }

  public SequencesContract {
    imessage = imessage == null ? ImessageRules.OFF : imessage;
    forbiddenNames = List.copyOf(forbiddenNames);
    if (outOfOfficePauseDays < 1 || outOfOfficePauseDays > 90) {
      throw new ContractException(where(source), "out_of_office.default_pause_days is " + outOfOfficePauseDays + "; use 1 to 90");
    }
    if (watchMaxAge.isNegative() || watchMaxAge.isZero() || watchMaxAge.toMinutes() > 1440) {
      throw new ContractException(where(source), "watch.max_age_minutes is " + watchMaxAge.toMinutes() + "; use 1 to 1440");
    }
  }

  /**
   * A send window: local times from {@code start} (inclusive) to {@code end} (exclusive) on {@code days}.
   * It may not wrap midnight; a sequence may narrow the contract's, never widen it.
   */
  public record Window(Source source, LocalTime start, LocalTime end, Set<DayOfWeek> days) {
    public Window {
      if (start == null || end == null || !start.isBefore(end)) {
        throw new ContractException(
            where(source), "the send window " + start + "–" + end + " must start before it ends on the same day (such as 08:00 to 20:00)");
      }
      if (days == null || days.isEmpty()) {
        throw new ContractException(where(source), "the send window has no days; list at least one of " + String.join(", ", DAYS));
      }
      days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    /** The same hours on every day of the week. */
    public static Window daily(LocalTime start, LocalTime end) {
      return new Window(null, start, end, EnumSet.allOf(DayOfWeek.class));
    }

    /** As an operator reads it: "08:00–20:00 mon–fri". */
    @Override
    public String toString() {
      return start + "–" + end + (days.size() == 7 ? " every day" : " " + String.join(",", days.stream().map(Window::dayName).toList()));
    }

    static String dayName(DayOfWeek d) {
      return DAYS.get(d.getValue() - 1);
    }
  }

  /** A holiday calendar by ISO 3166 country (or a jollyday calendar code) and optional subdivision. */
  public record Holidays(Source source, String country, String subdivision) {
    static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9]+)*");

    public Holidays {
      if (country == null || !CODE.matcher(country).matches()) {
        throw new ContractException(where(source), "holidays.country '" + country + "' is not a calendar code; write an ISO 3166 country such as US or DE, or US-NY for a subdivision");
      }
      if (subdivision != null && !CODE.matcher(subdivision).matches()) {
        throw new ContractException(where(source), "holidays.subdivision '" + subdivision + "' is not a subdivision code; write one such as NY (New York) or BY (Bavaria)");
      }
    }
  }

  /** How big a sequence and one add may be, and the longest delay between stages. */
  public record Limits(int maxStages, int maxRecipientsPerCall, int maxStageDelayDays) {}

  /** A sequence name pattern refused with its reason. */
  public record ForbiddenName(Source source, Pattern pattern, String reason) {}

  /** How many operators other than the owner confirm a multipov review when its tier does not say (reviewers:). */
  public static final int DEFAULT_REVIEWERS = 2;

  /** Counts from {@code min} to {@code max} (null: no upper bound) need approval {@code kind}; multipov needs {@code reviewers}. */
  public record Tier(Source source, int min, Integer max, String kind, int reviewers) {
    public Tier {
      if (!APPROVAL_KINDS.contains(kind)) {
        throw new ContractException(where(source), "approval kind '" + kind + "' is not known; use one of " + String.join(", ", APPROVAL_KINDS));
      }
      if (min < 1 || (max != null && max < min)) {
        throw new ContractException(where(source), "tier " + min + "–" + max + " is empty or starts below 1; write min ≥ 1 and max ≥ min");
      }
      if (kind.equals("multipov") ? reviewers < 1 : reviewers != 0) {
        throw new ContractException(
            where(source), kind.equals("multipov") ? "a multipov tier needs reviewers: 1 or more" : "reviewers applies only to a multipov tier, not " + kind);
      }
    }

    public boolean holds(int count) {
      return count >= min && (max == null || count <= max);
    }

    /** As an operator reads it: "51–500" or "1001+". */
    public String range() {
      return max == null ? min + "+" : min + "–" + max;
    }
  }

  /** Approval tiers, which cover 1 to ∞ without gaps or overlaps, and how long an approval holds. */
  public record Approvals(Source source, Duration validity, List<Tier> tiers) {
    public Approvals {
      tiers = List.copyOf(tiers);
      if (validity.isNegative() || validity.isZero() || validity.toHours() > 24 * 30) {
        throw new ContractException(where(source), "approvals.validity_hours is " + validity.toHours() + "; use 1 to 720");
      }
      if (tiers.isEmpty()) {
        throw new ContractException(where(source), "approvals.tiers is empty; start with a tier from min: 1");
      }
      int next = 1;
      for (int i = 0; i < tiers.size(); i++) {
        Tier t = tiers.get(i);
        if (next < 0) {
          throw new ContractException(where(t.source()), "tier " + t.range() + " comes after a tier with no max, which already covers every count; remove it or give the tier before a max");
        }
        if (t.min() != next) {
          throw new ContractException(
              where(t.source()),
              "tier " + t.range() + (t.min() > next ? " leaves " + next + "–" + (t.min() - 1) + " uncovered" : " overlaps the tier before it")
                  + "; tiers must cover 1 to ∞ in order without gaps or overlaps, so start it at min: " + next);
        }
        next = t.max() == null ? -1 : t.max() + 1;
      }
      if (next > 0) {
        Tier last = tiers.get(tiers.size() - 1);
        throw new ContractException(where(last.source()), "the last tier ends at " + last.max() + ", so " + next + " recipients or more have no gate; leave out its max");
      }
    }

    /** The tier {@code count} recipients fall in (counts below 1 fall in the first). */
    public Tier tierFor(int count) {
      int c = Math.max(count, 1);
      return tiers.stream().filter(t -> t.holds(c)).findFirst().orElseThrow();
    }
  }

  /** The stage triggers a sequence may use, and the sentence each refused one is answered with. */
  public record Triggers(Source source, List<String> allowed, Map<String, String> refused) {
    public Triggers {
      allowed = List.copyOf(allowed);
      refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
      if (allowed.isEmpty()) {
        throw new ContractException(where(source), "triggers.allowed is empty; allow at least always");
      }
      for (String t : allowed) {
        if (!KNOWN_TRIGGERS.contains(t)) {
          throw new ContractException(where(source), "trigger '" + t + "' cannot be allowed: comms evaluates only " + String.join(", ", KNOWN_TRIGGERS));
        }
        if (refused.containsKey(t)) {
          throw new ContractException(where(source), "trigger '" + t + "' is both allowed and refused; keep it in one list");
        }
      }
    }
  }

  /**
   * Engagement webhooks: the NAME of the environment variable holding the webhook signing secret
   * ({@code whsec_…}), and how long after delivery an open must come to count as human-shaped.
   */
  public record EngagementRules(Source source, String webhookSecretEnv, Duration humanOpenAfter) {
    /** What a contract without an engagement section gets. */
    public static final EngagementRules DEFAULTS = new EngagementRules(null, "COMMS_RESEND_WEBHOOK_SECRET", Duration.ofSeconds(60));

    public EngagementRules {
      if (webhookSecretEnv == null || !webhookSecretEnv.matches("[A-Z_][A-Z0-9_]*")) {
        throw new ContractException(
            where(source), "engagement.webhook_secret_env is not an environment variable name (use UPPER_SNAKE_CASE); contracts name secrets, never hold them");
      }
      if (humanOpenAfter.isNegative() || humanOpenAfter.toSeconds() > 86_400) {
        throw new ContractException(where(source), "engagement.human_open_after_seconds is " + humanOpenAfter.toSeconds() + "; use 0 to 86400");
      }
    }
  }

  static Source where(Source s) {
    return s != null ? s : new Source(FILE, 0, 0, "");
  }

  // ------------------------------------------------------------------ reading

  public static SequencesContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    Window window = window(m.map("send_window"));
    YamlMap h = m.map("holidays");
    Holidays holidays = new Holidays(h.source(), h.string("country"), h.opt("subdivision").map(YamlValue::asString).orElse(null));
    h.end();
    YamlMap l = m.map("limits");
    Limits limits =
        new Limits(range(l, "max_stages", 1, 10), range(l, "max_recipients_per_call", 1, 100_000), range(l, "max_stage_delay_days", 1, 365));
    l.end();
    List<ForbiddenName> forbidden = m.list("forbidden_names", SequencesContract::forbiddenName, List.of());
    YamlMap a = m.map("approvals");
    Approvals approvals = new Approvals(a.source(), Duration.ofHours(range(a, "validity_hours", 1, 720)), a.list("tiers", SequencesContract::tier));
    a.end();
    YamlMap o = m.map("out_of_office");
    int pause = range(o, "default_pause_days", 1, 90);
    o.end();
    YamlMap w = m.map("watch");
    Duration watch = Duration.ofMinutes(range(w, "max_age_minutes", 1, 1440));
    Duration alertAfter = Duration.ofMinutes(w.has("alert_after_minutes") ? range(w, "alert_after_minutes", 1, 1440) : 10);
    String alertEnv = w.has("alert_webhook_env") ? w.string("alert_webhook_env") : null;
    if (alertEnv != null && !alertEnv.matches("[A-Z_][A-Z0-9_]*")) {
      throw w.get("alert_webhook_env").error("'alert_webhook_env' is '" + alertEnv + "'; name an environment variable (A-Z, 0-9, _), never the URL itself");
    }
    w.end();
    Triggers triggers = triggers(m.map("triggers"));
    EngagementRules engagement = EngagementRules.DEFAULTS;
    if (m.has("engagement")) {
      YamlMap g = m.map("engagement");
      YamlValue env = g.get("webhook_secret_env");
      String name = env.asString();
      if (!name.matches("[A-Z_][A-Z0-9_]*")) {
        // Not quoted: what was written here may be the secret itself.
        throw env.error("engagement.webhook_secret_env is not an environment variable name (use UPPER_SNAKE_CASE, such as COMMS_RESEND_WEBHOOK_SECRET); contracts name secrets, never hold them");
      }
      engagement = new EngagementRules(g.source(), name, Duration.ofSeconds(g.has("human_open_after_seconds") ? range(g, "human_open_after_seconds", 0, 86_400) : 60));
      if (!g.has("human_open_after_seconds")) {
        g.opt("human_open_after_seconds");
      }
      g.end();
    } else {
      m.opt("engagement");
    }
    ImessageRules imessage = ImessageRules.from(m.optMap("imessage"));
    m.end();
    return new SequencesContract(
        root.source(), window, holidays, limits, forbidden, approvals, pause, watch, triggers, new WatchAlert(alertAfter, alertEnv), engagement, imessage);
  }

  /** Reads a send window mapping ({@code start}, {@code end}, optional {@code days}); sequence files use the same shape. */
  public static Window window(YamlMap w) {
    LocalTime start = time(w, "start");
    LocalTime end = time(w, "end");
    Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
    if (w.has("days")) {
      YamlValue dv = w.get("days");
      List<DayOfWeek> listed = dv.asList(SequencesContract::day);
      days = listed.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(listed);
      if (days.size() != listed.size()) {
        throw dv.error("a day is listed twice in days; list each of " + String.join(", ", DAYS) + " at most once");
      }
    } else {
      w.opt("days");
    }
    w.end();
    if (!start.isBefore(end)) {
      throw w.get("end").error("the send window must end after it starts on the same day (such as start 08:00, end 20:00); it may not wrap midnight");
    }
    if (days.isEmpty()) {
      throw w.get("days").error("days is empty; list at least one of " + String.join(", ", DAYS));
    }
    return new Window(w.source(), start, end, days);
  }

  private static DayOfWeek day(YamlValue v) {
    int i = DAYS.indexOf(v.asString());
    if (i < 0) {
      throw v.error("'" + v.asString() + "' is not a day; write one of " + String.join(", ", DAYS));
    }
    return DayOfWeek.of(i + 1);
  }

  private static LocalTime time(YamlMap m, String key) {
    YamlValue v = m.get(key);
    try {
      return LocalTime.parse(v.asString());
    } catch (DateTimeParseException e) {
      throw v.error("'" + key + "' must be a 24-hour time such as 08:00 (quote it: \"08:00\")");
    }
  }

  private static int range(YamlMap m, String key, int min, int max) {
    int n = m.integer(key);
    if (n < min || n > max) {
      throw m.get(key).error("'" + key + "' is " + n + "; use " + min + " to " + max);
    }
    return n;
  }

  private static ForbiddenName forbiddenName(YamlValue v) {
    YamlMap m = v.asMap();
    YamlValue rx = m.get("pattern");
    Pattern p;
    try {
      p = Pattern.compile(rx.asString(), Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw rx.error("pattern does not compile: " + e.getDescription());
    }
    ForbiddenName f = new ForbiddenName(m.source(), p, m.string("reason"));
    m.end();
    return f;
  }

  private static Tier tier(YamlValue v) {
    YamlMap m = v.asMap();
    String kind = m.oneOf("kind", APPROVAL_KINDS);
    int min = m.integer("min");
    Integer max = m.opt("max").map(YamlValue::asInt).orElse(null);
    int reviewers = m.integer("reviewers", kind.equals("multipov") ? DEFAULT_REVIEWERS : 0);
    if (m.has("reviewers") && !kind.equals("multipov")) {
      throw m.get("reviewers").error("reviewers applies only to a multipov tier; remove it from this " + kind + " tier");
    }
    m.end();
    return new Tier(m.source(), min, max, kind, reviewers);
  }

  private static Triggers triggers(YamlMap t) {
    List<String> allowed = t.list("allowed", x -> {
      String s = x.asString();
      if (!KNOWN_TRIGGERS.contains(s)) {
        throw x.error("trigger '" + s + "' cannot be allowed: comms evaluates only " + String.join(", ", KNOWN_TRIGGERS));
      }
      return s;
    });
    Map<String, String> refused = new LinkedHashMap<>();
    List<YamlMap> rows = t.list("refused", YamlValue::asMap, List.of());
    for (YamlMap r : rows) {
      String name = r.string("trigger");
      if (allowed.contains(name)) {
        throw r.get("trigger").error("trigger '" + name + "' is both allowed and refused; keep it in one list");
      }
      if (refused.put(name, r.string("reason")) != null) {
        throw r.get("trigger").error("trigger '" + name + "' is refused twice; keep one entry");
      }
      r.end();
    }
    t.end();
    List<String> dup = new ArrayList<>(allowed);
    for (String s : allowed) {
      dup.remove(s);
      if (dup.contains(s)) {
        throw t.get("allowed").error("trigger '" + s + "' is allowed twice; list it once");
      }
    }
    return new Triggers(t.source(), allowed, refused);
  }
}
