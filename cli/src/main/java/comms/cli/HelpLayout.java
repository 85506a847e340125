package comms.cli;

import comms.core.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's --help is laid out: 80 columns (or $COLUMNS), the exit codes from the
 * {@link ExitCode} enum, the environment variables, then the command's Examples (its footer).
 */
final class HelpLayout {
  private HelpLayout() {}

  static final int WIDTH = 80;

  private static final String ENVIRONMENT_HEADING = "environmentHeading";
  private static final String ENVIRONMENT = "environment";

  /** Written to fit 80 columns; printed as is, never wrapped. */
  static final List<String> ENVIRONMENT_LINES =
      List.of(
          "  COMMS_BINDINGS  the contracts folder (else ./bindings)",
          "  COMMS_OUTBOX    the evidence folder (else $SPINE_OUTBOX, else ./outbox)",
          "  COMMS_NOW       an ISO-8601 instant that replaces the clock",
          "  COMMS_OPERATOR  the operator to act as without --as",
          "  NO_COLOR        turn colour off");

  /** The width to lay help out in: $COLUMNS when it is a usable terminal width, else 80. */
  static int width(Map<String, String> env) {
    String c = env.get("COLUMNS");
    if (c != null && c.strip().matches("\\d{2,4}")) {
      int w = Integer.parseInt(c.strip());
      if (w >= 55) { // picocli refuses anything narrower
        return w;
      }
    }
    return WIDTH;
  }

  /** The exit-code list every --help shows, straight from {@link ExitCode}. */
  static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      m.put(String.format("%2d", c.code()), c.meaning());
    }
    return m;
  }

  /** Applies the layout to {@code cl} and every command under it. */
  static void apply(CommandLine cl, int width) {
    UsageMessageSpec u = cl.getCommandSpec().usageMessage();
    u.width(width);
    u.exitCodeListHeading("%nExit codes:%n");
    u.exitCodeList(exitCodes());
    cl.getHelpSectionMap().put(ENVIRONMENT_HEADING, help -> String.format("%nEnvironment:%n"));
    cl.getHelpSectionMap().put(ENVIRONMENT, help -> String.join(String.format("%n"), ENVIRONMENT_LINES) + String.format("%n"));
    List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
    if (!keys.contains(ENVIRONMENT)) {
      int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING);
      keys.addAll(at < 0 ? keys.size() : at, List.of(ENVIRONMENT_HEADING, ENVIRONMENT));
      cl.setHelpSectionKeys(keys);
    }
    cl.getSubcommands().values().forEach(c -> apply(c, width));
  }
}
