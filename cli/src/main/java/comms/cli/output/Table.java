package comms.cli.output;

import comms.core.send.ControlCharacters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plain aligned text tables and key/value sections for the table format. */
public final class Table {
  private Table() {}

  /**
   * Writes headings, key/value lines and aligned tables; colour only when allowed. Every value is
   * shown with its control characters escaped ({@code \n}, {@code \u001B}): a subject or a name from
   * a mailbox must not break a row or reach the terminal as an escape sequence. The printer's own
   * colours are written as a marker that data cannot forge (it holds a random part per printer) and
   * become escape sequences only after the text is escaped.
   */
  public static final class Printer {
    private final PrintWriter out;
    private final boolean color;
    // Unguessable enough for data written before this run, and cheap: UUID.randomUUID would start the
    // JDK's SecureRandom (tens of milliseconds) on every command that prints a table.
    private final String style = "\uE000" + Long.toHexString(new java.util.SplittableRandom().nextLong()) + Long.toHexString(System.nanoTime()) + "\uE001";

    public Printer(PrintWriter out, boolean color) {
      this.out = out;
      this.color = color;
    }

    public Printer heading(String text) {
      out.println(color ? "\u001b[1m" + oneLine(text) + "\u001b[0m" : oneLine(text));
      return this;
    }

    /** A line of text; line breaks in it stay (a message body), other control characters are escaped. */
    public Printer line(String text) {
      out.println(styled(ControlCharacters.visibleLines(text)));
      return this;
    }

    public Printer blank() {
      out.println();
      return this;
    }

    /** "key: value" lines with the keys aligned. */
    public Printer fields(String... keyValues) {
      int w = 0;
      for (int i = 0; i < keyValues.length; i += 2) {
        w = Math.max(w, keyValues[i].length());
      }
      for (int i = 0; i < keyValues.length; i += 2) {
        String v = keyValues[i + 1];
        out.println("  " + pad(oneLine(keyValues[i]) + ":", w + 1) + " " + (v == null ? "-" : oneLine(v)));
      }
      return this;
    }

    /** A status word coloured by meaning (pass/ok green, warn/deferred yellow, fail/blocked red). */
    public String status(String word) {
      if (!color) {
        return word;
      }
      String c =
          switch (word) {
            case "pass", "ok", "allowed", "simulated", "sent", "ready", "active", "valid" -> "32";
            case "warn", "deferred", "skipped", "queued" -> "33";
            default -> "31";
          };
      return style + c + "m" + word + style + "0m";
    }

    /** {@code s} escaped to one line, with this printer's own colour markers turned into colours. */
    private String oneLine(String s) {
      return styled(ControlCharacters.visible(s));
    }

    private String styled(String escaped) {
      return escaped == null ? null : escaped.replace(style, "\u001b[");
    }

    public Printer table(List<String> headers, List<List<String>> rows) {
      headers = headers.stream().map(this::oneLine).toList();
      rows = rows.stream().map(r -> r.stream().map(c -> c == null ? null : oneLine(c)).toList()).toList();
      int[] w = new int[headers.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = visible(headers.get(i));
      }
      for (List<String> r : rows) {
        for (int i = 0; i < w.length && i < r.size(); i++) {
          w[i] = Math.max(w[i], visible(r.get(i) == null ? "-" : r.get(i)));
        }
      }
      printRow(headers, w);
      List<String> rule = new ArrayList<>();
      for (int x : w) {
        rule.add("-".repeat(x));
      }
      printRow(rule, w);
      for (List<String> r : rows) {
        printRow(r, w);
      }
      return this;
    }

    public Printer table(List<String> headers, String[]... rows) {
      return table(headers, Arrays.stream(rows).map(Arrays::asList).toList());
    }

    private void printRow(List<String> cells, int[] w) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < w.length; i++) {
        String c = i < cells.size() && cells.get(i) != null ? cells.get(i) : "-";
        sb.append(i == w.length - 1 ? c : c + " ".repeat(w[i] - visible(c) + 2));
      }
      out.println(sb.toString().stripTrailing());
    }

    private static int visible(String s) {
      return s.replaceAll("\u001b\\[[0-9;]*m", "").codePointCount(0, s.replaceAll("\u001b\\[[0-9;]*m", "").length());
    }

    private static String pad(String s, int w) {
      return s + " ".repeat(Math.max(0, w - s.length()));
    }
  }
}
