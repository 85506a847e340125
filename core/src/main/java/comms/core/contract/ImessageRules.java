package comms.core.contract;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sequences contract's {@code imessage} section: which operators may own iMessage stages (each
 * with the zone their sending hours are judged in and, optionally, their own daily cap), whether the
 * Mac daemon is switched on, the daily cap per operator and UTC day, the least gap between two sends
 * of one operator, and the operator-local hours iMessages may go out in. Without the section nobody
 * may use iMessage and the daemon is off.
 */
public record ImessageRules(
    Source source, boolean daemonEnabled, List<Operator> operators, int dailyCap, Duration minGap, LocalTime start, LocalTime end) {
  public static final int DEFAULT_DAILY_CAP = 50;
  public static final Duration DEFAULT_MIN_GAP = Duration.ofSeconds(30);
  public static final LocalTime DEFAULT_START = LocalTime.of(9, 0);
  public static final LocalTime DEFAULT_END = LocalTime.of(20, 0);

  /** No section: nobody may send iMessages and the daemon is switched off. */
  public static final ImessageRules OFF = new ImessageRules(null, false, List.of(), DEFAULT_DAILY_CAP, DEFAULT_MIN_GAP, DEFAULT_START, DEFAULT_END);

  /** One allowlisted operator: their address, the zone their sending hours are in, and their cap per UTC day. */
  public record Operator(Source source, String email, ZoneId zone, int dailyCap) {}

  public ImessageRules {
    operators = List.copyOf(operators);
  }

  /** The allowlisted operator {@code email}, if they are. */
  public Optional<Operator> operator(String email) {
    String e = OperatorsContract.normalize(email);
    return operators.stream().filter(o -> o.email().equals(e)).findFirst();
  }

  public boolean allows(String email) {
    return operator(email).isPresent();
  }

  /** The sentence a refused owner gets. */
  public String refusal(String owner) {
    return "iMessage stages are only for sequences owned by an operator on the iMessage allowlist ("
        + (operators.isEmpty() ? "nobody is on it" : String.join(", ", operators.stream().map(Operator::email).toList())) + "), and "
        + owner + " is not; use email or sms, or ask an admin to add the owner under imessage.operators in " + SequencesContract.FILE;
  }

  /** Reads the {@code imessage} section (line-numbered refusals); {@link #OFF} when absent. */
  static ImessageRules from(Optional<YamlMap> section) {
    if (section.isEmpty()) {
      return OFF;
    }
    YamlMap m = section.get();
    String daemon = m.oneOf("daemon", List.of("enabled", "disabled"));
    int cap = cap(m, "daily_cap", DEFAULT_DAILY_CAP);
    int gap = m.integer("min_gap_seconds", (int) DEFAULT_MIN_GAP.toSeconds());
    if (gap < 30 || gap > 3600) {
      throw m.get("min_gap_seconds").error("'min_gap_seconds' is " + gap + "; use 30 to 3600 (the design mandates at least 30 s between two sends)");
    }
    LocalTime start = DEFAULT_START;
    LocalTime end = DEFAULT_END;
    if (m.has("hours")) {
      YamlMap h = m.map("hours");
      start = time(h, "start");
      end = time(h, "end");
      h.end();
      if (!start.isBefore(end)) {
        throw h.get("end").error("imessage hours must end after they start on the same day (such as 09:00 to 20:00)");
      }
    }
    List<Operator> ops = m.list("operators", v -> operator(v, cap));
    Set<String> seen = new HashSet<>();
    for (Operator o : ops) {
      if (!seen.add(o.email())) {
        throw new ContractException(o.source(), "operator " + o.email() + " is on the iMessage allowlist twice; keep one entry");
      }
    }
    m.end();
    return new ImessageRules(m.source(), daemon.equals("enabled"), ops, cap, Duration.ofSeconds(gap), start, end);
  }

  private static Operator operator(YamlValue v, int defaultCap) {
    YamlMap m = v.asMap();
    YamlValue ev = m.get("email");
    String email = ev.asString().strip();
    if (!OperatorsContract.EMAIL.matcher(email).matches()) {
      throw ev.error("'" + email + "' is not an email address such as dana@example.com");
    }
    YamlValue zv = m.get("zone");
    String zone = zv.asString().strip();
    if (!ZoneId.getAvailableZoneIds().contains(zone)) {
      throw zv.error("'" + zone + "' is not an IANA time zone; write the operator's region such as America/Chicago (their sending hours are judged in it)");
    }
    Operator o = new Operator(m.source(), OperatorsContract.normalize(email), ZoneId.of(zone), cap(m, "daily_cap", defaultCap));
    m.end();
    return o;
  }

  private static int cap(YamlMap m, String key, int fallback) {
    int c = m.integer(key, fallback);
    if (c < 0 || c > 10_000) {
      throw m.get(key).error("'" + key + "' is " + c + "; use 0 to 10000 iMessages per UTC day (0 stops the operator's iMessages)");
    }
    return c;
  }

  private static LocalTime time(YamlMap m, String key) {
    YamlValue v = m.get(key);
    try {
      return LocalTime.parse(v.asString());
    } catch (DateTimeParseException e) {
      throw v.error("'" + key + "' must be a 24-hour time such as 09:00 (quote it: \"09:00\")");
    }
  }
}
