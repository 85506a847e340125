package comms.core.send;

import java.util.Objects;

/** One policy gate's outcome in a preview: its name, pass/fail/warn, and a reason a person can act on. */
public record Gate(String name, Result result, String reason) {
  public static final String RECIPIENT = "recipient";
  public static final String CONSENT = "consent";
  public static final String SUPPRESSION = "suppression";
  public static final String QUIET_HOURS = "quiet_hours";
  public static final String STOP_FOOTER = "stop_footer";
  public static final String TEMPLATE_RESIDUE = "template_residue";
  public static final String HEADER_SAFETY = "header_safety";
  public static final String LENGTH = "length";
  public static final String FORBIDDEN_PATTERNS = "forbidden_patterns";
  public static final String BULK_EMAIL = "bulk_email";

  /** A gate's result; the words are the stable machine interface. */
  public enum Result {
    pass,
    fail,
    warn
  }

  public Gate {
    Objects.requireNonNull(name);
    Objects.requireNonNull(result);
    Objects.requireNonNull(reason);
  }

  public static Gate pass(String name, String reason) {
    return new Gate(name, Result.pass, reason);
  }

  public static Gate fail(String name, String reason) {
    return new Gate(name, Result.fail, reason);
  }

  public static Gate warn(String name, String reason) {
    return new Gate(name, Result.warn, reason);
  }

  public boolean failed() {
    return result == Result.fail;
  }
}
