package comms.cli.faults;

import comms.cli.Comms;
import comms.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A harness process that runs a plan of comms commands one after another through the same entry
 * point as {@code comms.cli.Main} ({@link Comms#run}), each with {@code yes} on its stdin, so one
 * JVM start buys many executes: the crash harness kills it at a random moment among them, the
 * concurrency harness runs several at once on one outbox.
 *
 * <p>Arguments: PLAN-FILE (one JSON array of arguments per line) [GO-FILE: wait until it exists
 * before the first command, so several workers start together]. Prints {@code start N} before
 * command N, {@code done N EXIT STATUS} after it, and {@code ready} after the first one; every
 * command's stderr is copied to this process's stderr. A plan line {@code ["--sleep-ms", "N"]} pauses N ms.
 */
public final class SendWorker {
  private SendWorker() {}

  public static void main(String[] args) throws Exception {
    List<String> plan = Files.readAllLines(Path.of(args[0]));
    PrintStream out = System.out;
    if (args.length > 1) {
      Path go = Path.of(args[1]);
      out.println("waiting");
      out.flush();
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
    }
    Map<String, String> env = System.getenv();
    for (int i = 0; i < plan.size(); i++) {
      List<?> a = (List<?>) Json.parse(plan.get(i));
      String[] argv = a.stream().map(String::valueOf).toArray(String[]::new);
      if (argv.length == 2 && argv[0].equals("--sleep-ms")) {
        // A pause in the plan (RateFidelityBench spaces an operator's tries so they span minutes).
        Thread.sleep(Long.parseLong(argv[1]));
        continue;
      }
      out.println("start " + i);
      out.flush();
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      int code = Comms.run(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)), o, e, env, argv);
      String status = "-";
      try {
        Object doc = Json.parse(o.toString(StandardCharsets.UTF_8));
        if (doc instanceof Map<?, ?> m && m.get("status") != null) {
          status = String.valueOf(m.get("status"));
        }
      } catch (RuntimeException notJson) {
        // Refused before any JSON was printed: the exit code says why.
      }
      System.err.print(e.toString(StandardCharsets.UTF_8));
      System.err.flush();
      out.println("done " + i + " " + code + " " + status);
      if (i == 0) {
        out.println("ready");
      }
      out.flush();
    }
    out.println("finished");
    out.flush();
  }

  /** Writes a plan file: one command line per entry. */
  static Path plan(Path file, List<List<String>> commands) {
    StringBuilder sb = new StringBuilder();
    for (List<String> c : commands) {
      sb.append(Json.write(c)).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }
}
