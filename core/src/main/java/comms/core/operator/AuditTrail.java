package comms.core.operator;

import comms.core.Recipients;
import comms.core.outbox.Sha256;
import comms.core.store.AuditLog;
import comms.core.store.Roster;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Writes the audit rows of one run, for its identity: actor, owner operator, OS user and run key on
 * every row. A payload holds non-personal metadata only (counts, ids, codes, statuses, timestamps);
 * recipients appear only as SHA-256 hashes ({@link #hash}), and a value that looks like an address or a
 * phone number is refused before it reaches the table.
 */
public final class AuditTrail {
  /** Payload keys that would invite personal data or message content; never written. */
  static final Set<String> FORBIDDEN_KEYS = Set.of("to", "recipient", "email", "phone", "body", "text", "html", "subject", "vars", "variables", "name", "reason", "source");

  private static final Pattern PHONE = Pattern.compile("\\+\\d{7,}");
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** One action to record: its verb (the command, e.g. send.execute), the resource, and the payload so far. */
  public record Action(String verb, String resourceType, String resourceId, Map<String, Object> payload) {
    public Action {
      Objects.requireNonNull(verb);
      Objects.requireNonNull(resourceType);
      payload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload == null ? Map.of() : payload));
    }

    public static Action of(String verb, String resourceType, String resourceId) {
      return new Action(verb, resourceType, resourceId, Map.of());
    }

    /** This action with one more payload entry. */
    public Action with(String key, Object value) {
      Map<String, Object> m = new LinkedHashMap<>(payload);
      m.put(key, value);
      return new Action(verb, resourceType, resourceId, m);
    }

    /** This action with more payload entries. */
    public Action with(Map<String, Object> more) {
      Map<String, Object> m = new LinkedHashMap<>(payload);
      m.putAll(more);
      return new Action(verb, resourceType, resourceId, m);
    }
  }

  private final AuditLog log;
  private final Roster roster;
  private final Identity who;
  private final String runKey;
  private final Clock clock;

  public AuditTrail(Store store, Roster roster, Identity who, String runKey, Clock clock) {
    this.log = AuditLog.of(store);
    this.roster = Objects.requireNonNull(roster);
    this.who = Objects.requireNonNull(who);
    this.runKey = runKey;
    this.clock = Objects.requireNonNull(clock);
  }

  public Identity identity() {
    return who;
  }

  /** Writes one row for {@code a} (seeding the roster in the same transaction on first use). */
  public void record(Action a) {
    Instant at = clock.instant();
    AuditLog.Entry e = entry(a, at);
    log.appendWith("write an audit row", () -> roster.seed(at), x -> e);
  }

  /**
   * Runs {@code change} and writes its row (the action plus {@code outcome} of the change's result) in
   * one transaction: the change and its audit row are committed together or not at all.
   */
  public <T> T apply(Action a, Supplier<T> change, Function<T, Map<String, Object>> outcome) {
    Instant at = clock.instant();
    return log.appendWith(
        "apply " + a.verb() + " and write its audit row",
        () -> {
          roster.seed(at);
          return change.get();
        },
        result -> entry(a.with(outcome.apply(result)), at));
  }

  private AuditLog.Entry entry(Action a, Instant at) {
    check(a.payload(), "payload");
    return new AuditLog.Entry(0, at, who.actor(), who.owner(), a.verb(), a.resourceType(), a.resourceId(), a.payload(), runKey, who.osUser());
  }

  /** The closing payload entries of an action: how it ended and the exit code. */
  public static Map<String, Object> outcome(String outcome, int exitCode) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", outcome);
    m.put("exit_code", exitCode);
    return m;
  }

  /** A recipient as the audit trail may hold it: {@code sha256:} and the hash of its normalized spelling. */
  public static String hash(String recipient) {
    return recipient == null ? null : "sha256:" + Sha256.hex(Recipients.normalize(recipient));
  }

  /**
   * The machine code at the head of an error ("21610: …" gives 21610; "minute_cap_exhausted:3" stays
   * whole), never its prose, which may quote a recipient; {@code unclassified} when there is no code.
   */
  public static String errorCode(String error) {
    if (error == null) {
      return null;
    }
    int colon = error.indexOf(": ");
    String head = (colon < 0 ? error : error.substring(0, colon)).strip();
    return CODE.matcher(head).matches() ? head : "unclassified";
  }

  /** Refuses a payload that could carry personal data: a forbidden key, an address or a phone number. */
  static void check(Object value, String path) {
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (FORBIDDEN_KEYS.contains(k)) {
          throw new IllegalArgumentException("audit " + path + " may not hold '" + k + "': payloads carry no personal data or message content");
        }
        check(e.getValue(), path + "." + k);
      }
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        check(l.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof String s) {
      if (s.startsWith("sha256:")) {
        return;
      }
      if (s.indexOf('@') >= 0 || PHONE.matcher(s).find()) {
        throw new IllegalArgumentException("audit " + path + " looks like an address or a phone number; hash it with AuditTrail.hash");
      }
    } else if (value != null && !(value instanceof Number) && !(value instanceof Boolean)) {
      throw new IllegalArgumentException("audit " + path + " is a " + value.getClass().getSimpleName() + "; use text, numbers, booleans, lists and maps");
    }
  }
}
