package comms.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plain aligned text tables and key/value sections for the table format. */
public final class Table {
  private Table() {}

  /** Writes headings, key/value lines and aligned tables; colour only when allowed. */
  public static final class Printer {
    private final PrintWriter out;
    private final boolean color;

    public Printer(PrintWriter out, boolean color) {
      this.out = out;
      this.color = color;
    }

    public Printer heading(String text) {
      out.println(color ? "\u001b[1m" + text + "\u001b[0m" : text);
      return this;
    }

    public Printer line(String text) {
      out.println(text);
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
        out.println("  " + pad(keyValues[i] + ":", w + 1) + " " + (v == null ? "-" : v));
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
      return "\u001b[" + c + "m" + word + "\u001b[0m";
    }

    public Printer table(List<String> headers, List<List<String>> rows) {
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
