package comms.cli.commands.sequence;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.sequence.SequenceWorker;
import comms.core.sequence.WorkerRun;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import picocli.CommandLine.Help.Ansi;

/**
 * What sequence.run tells a person on stderr while it works, so stdout stays the result alone: at a
 * terminal one progress bar redrawn in place (through the due sends of a long pass, and through the
 * span of an --until run), elsewhere plain lines a log keeps; and at the end a summary (sent,
 * deferred with their reasons, skipped, failed). COMMS_PROGRESS=bar|lines|off overrides the choice.
 * Drawn by hand with picocli's Ansi rather than a progress-bar library: one line of text does not
 * need a terminal library on the class path of every command.
 */
final class WorkerProgress {
  /** How progress is shown. */
  enum Mode {
    bar,
    lines,
    off
  }

  /** A pass this long or longer reports its progress through its due sends. */
  static final int LONG_PASS = 200;

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final Mode mode;
  private final boolean color;
  private final Supplier<Instant> now;
  private final Instant from;
  private final Instant end;
  private int drawn;
  private int lastPercent = -1;
  private int lastTenth = -1;
  private int passes;

  WorkerProgress(PrintWriter err, Mode mode, boolean color, Clock clock, Instant end) {
    this.err = err;
    this.mode = mode;
    this.color = color;
    this.now = clock::instant;
    this.from = clock.instant();
    this.end = end;
  }

  /** The mode for this run: COMMS_PROGRESS if set, else a bar at a terminal and plain lines elsewhere. */
  static Mode mode(App app) {
    String set = app.env().get("COMMS_PROGRESS");
    if (set != null && !set.isBlank()) {
      try {
        return Mode.valueOf(set.strip().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommsException(ExitCode.USAGE, "COMMS_PROGRESS='" + set + "' is not known; use bar, lines or off (or unset it)");
      }
    }
    return System.console() != null && !"dumb".equals(app.env().get("TERM")) ? Mode.bar : Mode.lines;
  }

  /** A pass has handled {@code handled} of its {@code due} stage sends. */
  void tick(int handled, int due) {
    if (due < LONG_PASS || mode == Mode.off) {
      return;
    }
    int percent = (int) (100L * handled / due);
    if (mode == Mode.bar) {
      if (percent != lastPercent) {
        lastPercent = percent;
        draw(percent, handled + "/" + due + " due stage sends");
      }
      if (handled >= due) {
        clear();
        lastPercent = -1;
      }
      return;
    }
    int tenth = percent / 10;
    if (handled > 0 && tenth != lastTenth) {
      lastTenth = tenth;
      err.println("sequence.run: " + handled + " of " + due + " due stage sends handled");
      err.flush();
    }
    if (handled >= due) {
      lastTenth = -1;
    }
  }

  /** A pass of an --until or --follow run ended; {@code line} says what it did. */
  void pass(String line) {
    passes++;
    if (mode == Mode.lines) {
      line(line);
    } else if (mode == Mode.bar && end != null) {
      Instant at = now.get();
      long span = Math.max(1, Duration.between(from, end).toSeconds());
      int percent = (int) Math.min(100, Math.max(0, 100L * Duration.between(from, at).toSeconds() / span));
      draw(percent, "at " + at + ", pass " + passes);
    }
  }

  /** A line of what the worker noticed (a retry wait, an alert): printed whole, the bar redrawn after it. */
  void line(String line) {
    if (mode == Mode.off) {
      return;
    }
    clear();
    err.println("sequence.run: " + line);
    err.flush();
  }

  /** The last words on stderr: what the run did, with each deferral reason counted. */
  void summary(WorkerRun.Totals t) {
    clear();
    Map<String, Integer> reasons = new TreeMap<>();
    t.deferred().forEach(d -> reasons.merge(d.reason(), 1, Integer::sum));
    long failed = t.problems().stream().filter(p -> !p.status().equals("blocked")).count();
    long blocked = t.problems().size() - failed;
    StringBuilder s = new StringBuilder("sequence.run: done: ");
    s.append(paint("green", t.sent() + " sent")).append(", ");
    s.append(t.deferred().size()).append(" deferred");
    if (!reasons.isEmpty()) {
      s.append(" (");
      reasons.forEach((r, n) -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ").append(r).append(' ').append(n));
      s.append(')');
    }
    s.append(", ").append(t.skipped()).append(" skipped, ");
    s.append(failed == 0 ? "0 failed" : paint("red", failed + " failed"));
    if (blocked > 0) {
      s.append(", ").append(paint("yellow", blocked + " blocked by a gate"));
    }
    if (t.taken() > 0) {
      s.append(", ").append(t.taken()).append(" held by other workers");
    }
    s.append(" (").append(t.passes()).append(t.passes() == 1 ? " pass)" : " passes)");
    err.println(s);
    err.flush();
  }

  /** The worker's tick, for {@link SequenceWorker#ticking}. */
  SequenceWorker.Tick ticks() {
    return this::tick;
  }

  private void draw(int percent, String text) {
    int full = WIDTH * percent / 100;
    String bar = "=".repeat(full) + (full < WIDTH ? ">" + " ".repeat(WIDTH - full - 1) : "");
    String tail = "] " + String.format(Locale.ROOT, "%3d%%", percent) + " " + text;
    int visible = "sequence.run [".length() + bar.length() + tail.length();
    // Blanks over what a longer earlier line left behind.
    err.print("\rsequence.run [" + paint("cyan", bar) + tail + " ".repeat(Math.max(0, drawn - visible)));
    err.flush();
    drawn = visible;
  }

  private void clear() {
    if (drawn > 0) {
      err.print("\r" + " ".repeat(drawn) + "\r");
      err.flush();
      drawn = 0;
    }
  }

  private String paint(String style, String text) {
    return color ? Ansi.ON.string("@|" + style + " " + text + "|@") : text;
  }
}
