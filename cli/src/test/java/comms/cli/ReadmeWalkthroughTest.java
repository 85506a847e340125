package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.verify.RunbookCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A sequence, step by step" block, run as written (from the repository root, in a
 * scratch outbox, at the COMMS_NOW its first line exports), and its result read the way the README
 * says to: some rows refused with reasons, three weeks of the worker, the sequence completed, every
 * stage send a delivery-log line naming its sequence and stage.
 */
class ReadmeWalkthroughTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern SECTION = Pattern.compile("(?s)\n## A sequence, step by step\n(.*?)\n## ");
  static final Pattern BLOCK = Pattern.compile("(?s)```bash\n(.*?)```");
  static final Pattern NOW = Pattern.compile("COMMS_NOW=(\\S+)");

  @TempDir Path tmp;

  @Test
  void theReadmeWalkthroughRunsAndEndsAsItSays() throws Exception {
    Matcher section = SECTION.matcher(Files.readString(ROOT.resolve("README.md")));
    assertTrue(section.find(), "README.md has the section \"A sequence, step by step\"");
    Matcher block = BLOCK.matcher(section.group(1));
    assertTrue(block.find(), "the section has a bash block");
    String[] lines = block.group(1).split("\n");
    assertTrue(lines[0].startsWith("export COMMS_OUTBOX=$(mktemp -d) COMMS_NOW="), "the block starts in a scratch outbox at a set time: " + lines[0]);
    Matcher now = NOW.matcher(lines[0]);
    assertTrue(now.find());
    StringBuilder commands = new StringBuilder("```bash\n");
    for (int i = 1; i < lines.length; i++) {
      // Comments after a command are for the reader; "# exit N" is an expectation and stays.
      commands.append(lines[i].replaceAll("\\s+#(?!\\s*exit\\s+\\d).*$", "")).append('\n');
    }
    List<RunbookCommands.Step> steps = RunbookCommands.parse(ROOT.resolve("README.md"), commands.append("```\n").toString());
    assertTrue(steps.size() >= 9, steps.toString());

    Path outbox = tmp.resolve("outbox");
    List<String> ran = new ArrayList<>();
    CliRun.Result addRecipients = null;
    for (RunbookCommands.Step s : steps) {
      CliRun cli = new CliRun(outbox).env("COMMS_NOW", now.group(1));
      if (s.stdin() != null) {
        cli.stdin(s.stdin());
      }
      List<String> args = new ArrayList<>();
      for (String a : s.args()) {
        args.add(a.startsWith("examples/") ? ROOT.resolve(a).toString() : a);
      }
      CliRun.Result r = cli.run(args.toArray(String[]::new));
      assertEquals(s.exit(), r.exit(), () -> s.text() + "\n" + r);
      ran.add(s.command());
      if (s.command().equals("sequence.add-recipients")) {
        addRecipients = r;
      }
    }
    assertTrue(ran.containsAll(List.of("sequence.create", "sequence.add-recipients", "sequence.launch", "sequence.run", "sequence.show", "delivery.log")), ran.toString());
    assertTrue(addRecipients.out().contains("invalid:double_at") && addRecipients.out().contains("suppressed:domain"), "some rows are refused with reasons: " + addRecipients.out());

    CliRun read = new CliRun(outbox).env("COMMS_NOW", now.group(1));
    Map<?, ?> show = (Map<?, ?>) Json.parse(read.run("sequence.show", "Welcome", "--output", "json").out());
    assertEquals("completed", show.get("state"), show.toString());
    String id = (String) show.get("id");
    List<?> log = (List<?>) ((Map<?, ?>) Json.parse(read.run("delivery.log", "--limit", "100", "--output", "json").out())).get("entries");
    List<?> stageLines = log.stream().filter(l -> id.equals(((Map<?, ?>) l).get("sequence_id"))).toList();
    assertTrue(stageLines.size() >= 10, "the stage sends of three weeks: " + log);
    assertTrue(stageLines.stream().allMatch(l -> ((Map<?, ?>) l).get("stage") != null), stageLines.toString());
  }
}
