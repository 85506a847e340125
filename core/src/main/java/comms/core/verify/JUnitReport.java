package comms.core.verify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** A JUnit XML report (the format CI systems read): one testcase per check, a failure element per failed one. */
public final class JUnitReport {
  private JUnitReport() {}

  /** One testcase. {@code detail} is the failure's body (one problem a line). */
  public record Case(String classname, String name, VerifyCheck.Status status, String message, String detail) {}

  /** The cases of a {@code comms verify} run. */
  public static List<Case> cases(List<VerifyCheck> checks) {
    return checks.stream()
        .map(
            c ->
                new Case(
                    "comms.verify." + c.group(),
                    c.name(),
                    c.status(),
                    c.summary(),
                    String.join("\n", c.problems().stream().map(VerifyCheck.Problem::toString).toList())))
        .toList();
  }

  public static String xml(String suite, Instant at, List<Case> cases) {
    long failures = cases.stream().filter(c -> c.status() == VerifyCheck.Status.FAIL).count();
    long skipped = cases.stream().filter(c -> c.status() == VerifyCheck.Status.SKIP).count();
    String counts = " tests=\"" + cases.size() + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\"";
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<testsuites name=\"").append(escape(suite)).append('"').append(counts).append(">\n");
    sb.append("  <testsuite name=\"").append(escape(suite)).append('"').append(counts)
        .append(" timestamp=\"").append(at.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime())
        .append("\">\n");
    for (Case c : cases) {
      sb.append("    <testcase classname=\"").append(escape(c.classname())).append("\" name=\"").append(escape(c.name()))
          .append("\" time=\"0\"");
      switch (c.status()) {
        case PASS -> sb.append("/>\n");
        case SKIP -> sb.append(">\n      <skipped message=\"").append(escape(c.message())).append("\"/>\n    </testcase>\n");
        case FAIL -> sb.append(">\n      <failure message=\"").append(escape(c.message())).append("\" type=\"")
            .append(escape(c.classname())).append("\">").append(text(c.detail())).append("</failure>\n    </testcase>\n");
      }
    }
    sb.append("  </testsuite>\n</testsuites>\n");
    return sb.toString();
  }

  /** XML-escapes text for an attribute or element, dropping characters XML 1.0 cannot hold at all. */
  static String escape(String s) {
    return escape(s, true);
  }

  static String text(String s) {
    return escape(s, false);
  }

  private static String escape(String s, boolean attribute) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                default -> {
                  boolean legal =
                      cp == '\t' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                  if (legal) {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.toString();
  }
}
