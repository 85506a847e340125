package comms.core.receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes command arguments safe to keep as evidence: message bodies and variables are replaced, and
 * any argument containing the value of a secret-looking environment variable is hidden.
 */
public final class Redaction {
  /** Flags whose value is message content, never kept in receipts. */
  static final Set<String> CONTENT_FLAGS = Set.of("--body", "--vars-json", "--subject");

  private static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|TOKEN|KEY|PASSWORD|PASSWD|SID|CREDENTIAL).*");

  /** An approval token (approval.issue prints it once; a launch cites it): never kept as evidence. */
  static final Pattern APPROVAL_TOKEN = Pattern.compile("apt_[A-Za-z0-9_-]+");

  private Redaction() {}

  public static List<String> arguments(List<String> args, Map<String, String> env) {
    List<String> secrets = secretValues(env);
    List<String> out = new ArrayList<>();
    boolean redactNext = false;
    for (String a : args) {
      if (redactNext) {
        out.add("[redacted]");
        redactNext = false;
        continue;
      }
      int eq = a.indexOf('=');
      String flag = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      if (CONTENT_FLAGS.contains(flag)) {
        if (eq > 0 && a.startsWith("--")) {
          out.add(flag + "=[redacted]");
        } else {
          out.add(a);
          redactNext = true;
        }
        continue;
      }
      out.add(APPROVAL_TOKEN.matcher(scrub(a, secrets)).replaceAll("[redacted token]"));
    }
    return out;
  }

  /** Replaces any secret value inside {@code text}. */
  public static String scrub(String text, Map<String, String> env) {
    return scrub(text, secretValues(env));
  }

  static String scrub(String text, List<String> secrets) {
    String s = text;
    for (String v : secrets) {
      if (s.contains(v)) {
        s = s.replace(v, "[redacted secret]");
      }
    }
    return s;
  }

  static List<String> secretValues(Map<String, String> env) {
    List<String> values = new ArrayList<>();
    env.forEach(
        (k, v) -> {
          if (v != null && v.length() >= 6 && SECRET_NAME.matcher(k.toUpperCase(java.util.Locale.ROOT)).matches()) {
            values.add(v);
          }
        });
    return values;
  }
}
