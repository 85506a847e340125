package comms.cli.faults;

import comms.cli.CliRun;
import comms.core.outbox.DeliveryRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Issue 7, promise 3: what a person (or a script) types at the approval prompt. Each input goes to
 * a live send.execute (email through a {@link LoopbackProviders} Resend) through the real parser;
 * only the forms the README documents approve, and every other input sends nothing (zero requests
 * reach the provider) and leaves one {@code declined} line in the delivery log.
 */
final class ApprovalTable {
  /** One stdin input and whether the README says it approves. */
  record Input(String name, byte[] bytes, boolean approves, long delayMs) {
    Input(String name, String text, boolean approves) {
      this(name, text.getBytes(StandardCharsets.UTF_8), approves, 0);
    }
  }

  /** The README's rule: the first line of stdin is exactly {@code yes}, ended by LF, CRLF or the end of input. */
  static List<Input> inputs() {
    List<Input> t = new ArrayList<>();
    // The documented approving forms.
    t.add(new Input("yes LF", "yes\n", true));
    t.add(new Input("yes CRLF", "yes\r\n", true));
    t.add(new Input("yes then end of input", "yes", true));
    t.add(new Input("yes CR then end of input", "yes\r", true));
    t.add(new Input("yes, then more lines (only the first is read)", "yes\nno\n", true));
    t.add(new Input("yes arriving after 2 s", "yes\n".getBytes(StandardCharsets.UTF_8), true, 2000));
    // Everything else declines.
    t.add(new Input("space yes space", " yes \n", false));
    t.add(new Input("leading space", " yes\n", false));
    t.add(new Input("trailing space", "yes \n", false));
    t.add(new Input("tab before", "\tyes\n", false));
    t.add(new Input("tab after", "yes\t\n", false));
    t.add(new Input("y", "y\n", false));
    t.add(new Input("Y", "Y\n", false));
    t.add(new Input("YES", "YES\n", false));
    t.add(new Input("Yes", "Yes\n", false));
    t.add(new Input("YES CRLF", "YES\r\n", false));
    t.add(new Input("yes please", "yes please\n", false));
    t.add(new Input("yess", "yess\n", false));
    t.add(new Input("ye", "ye\n", false));
    t.add(new Input("quoted yes", "\"yes\"\n", false));
    t.add(new Input("no", "no\n", false));
    t.add(new Input("ok", "ok\n", false));
    t.add(new Input("true", "true\n", false));
    t.add(new Input("1", "1\n", false));
    t.add(new Input("empty input (closed at once)", "", false));
    t.add(new Input("only a newline", "\n", false));
    t.add(new Input("only CRLF", "\r\n", false));
    t.add(new Input("empty first line, yes second", "\nyes\n", false));
    t.add(new Input("yes CR CR LF", "yes\r\r\n", false));
    t.add(new Input("yes NUL", "yes\u0000\n", false));
    t.add(new Input("yes backspace", "yes\b\n", false));
    t.add(new Input("ANSI escape then yes", "\u001b[Ayes\n", false));
    t.add(new Input("UTF-8 BOM then yes", "\uFEFFyes\n", false));
    t.add(new Input("no-break space after yes", "yes\u00a0\n", false));
    t.add(new Input("fullwidth yes", "\uff59\uff45\uff53\n", false));
    t.add(new Input("Cyrillic u for y", "\u0443es\n", false));
    t.add(new Input("invalid UTF-8 before yes", new byte[] {(byte) 0xff, (byte) 0xfe, 'y', 'e', 's', '\n'}, false, 0));
    t.add(new Input("invalid UTF-8 after yes", new byte[] {'y', 'e', 's', (byte) 0xc3, '\n'}, false, 0));
    byte[] mega = new byte[1 << 20];
    Arrays.fill(mega, (byte) 'y');
    t.add(new Input("a 1 MB line", mega, false, 0));
    byte[] megaYes = Arrays.copyOf("yes".getBytes(StandardCharsets.US_ASCII), (1 << 20) + 1);
    Arrays.fill(megaYes, 3, megaYes.length - 1, (byte) ' ');
    megaYes[megaYes.length - 1] = '\n';
    t.add(new Input("yes padded to 1 MB", megaYes, false, 0));
    t.add(new Input("no arriving after 2 s", "no\n".getBytes(StandardCharsets.UTF_8), false, 2000));
    return t;
  }

  /** The figures of one pass over the table. */
  static final class Figures {
    int inputs;
    int approving;
    int declining;
    int runs;
    int throughProcesses;
    int wrong;
    int requestsOnDecline;
    int declineNotLogged;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    String summary() {
      return "approval: " + inputs + " stdin inputs, " + runs + " runs (" + throughProcesses + " through a real pipe to a comms process): "
          + approving + " inputs approve, exactly the forms the README documents, " + declining + " decline; " + wrong
          + " wrong answers, " + requestsOnDecline + " provider requests after a decline, " + declineNotLogged
          + " declines not logged as declined";
    }
  }

  private final Lane lane;

  ApprovalTable(Path dir, LoopbackProviders server) {
    this.lane = new Lane(dir, "apr", Lane.Mode.LIVE_RESEND, server);
  }

  Figures run(int processCases) throws Exception {
    Figures f = new Figures();
    List<Input> table = inputs();
    List<java.util.concurrent.Callable<Void>> runs = new ArrayList<>();
    for (Input in : table) {
      f.inputs++;
      if (in.approves()) {
        f.approving++;
      } else {
        f.declining++;
      }
      runs.add(() -> check(f, in, false));
    }
    // The same inputs through a real pipe to a separate process: EOF, CRLF, slow writers and a
    // reader that stops after 64 bytes behave as they do for an operator's shell. CI takes the ones
    // where a pipe could differ from an in-memory stream; -Dfaults.scale=full takes them all.
    List<String> pipeFirst = List.of("yes arriving after 2 s", "a 1 MB line", "empty input (closed at once)", "yes CRLF", "invalid UTF-8 before yes", "space yes space");
    List<Input> order = new ArrayList<>(table);
    order.sort((a, b) -> Boolean.compare(!pipeFirst.contains(a.name()), !pipeFirst.contains(b.name())));
    for (Input in : order.subList(0, Math.min(processCases, order.size()))) {
      f.throughProcesses++;
      runs.add(0, () -> check(f, in, true));
    }
    // Every check looks only at its own key, so runs may overlap (the slow ones start first).
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      for (java.util.concurrent.Future<Void> p : pool.invokeAll(runs)) {
        p.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return f;
  }

  private Void check(Figures f, Input in, boolean process) throws IOException {
    int n = lane.next();
    String key = lane.key(n);
    int exit;
    String err;
    String out;
    if (process) {
      CommsProcess.Result r = lane.process(lane.execute(n)).stdin(in.bytes()).stdinDelay(in.delayMs()).run();
      exit = r.exit();
      out = r.out();
      err = r.err();
    } else {
      CliRun.Result r = lane.cli().stdin(stream(in)).run(lane.execute(n).toArray(String[]::new));
      exit = r.exit();
      out = r.out();
      err = r.err();
    }
    String where = (process ? "process" : "in-process") + " input '" + in.name() + "'";
    OutboxInspection after = OutboxInspection.of(lane.outbox);
    List<DeliveryRecord> logged = after.lines().stream().filter(r -> key.equals(r.idempotencyKey())).toList();
    String status = logged.size() == 1 ? logged.get(0).status() : null;
    int requests = lane.server.requestsForKey(key);
    synchronized (f) {
      f.runs++;
      if (in.approves()) {
        if (exit != 0 || !"sent".equals(status) || requests != 1 || !out.contains("\"approval\": \"approved\"")) {
          f.wrong++;
          f.problems.add(where + " should approve: exit " + exit + ", logged " + logged + ", requests " + requests + "\n" + err);
        }
      } else {
        if (exit != 5) {
          f.wrong++;
          f.problems.add(where + " should decline with exit 5 but exited " + exit + "\n" + err);
        }
        if (requests != 0) {
          f.requestsOnDecline += requests;
          f.problems.add(where + " declined but " + requests + " requests reached the provider");
        }
        if (!"declined".equals(status) || logged.get(0).attempts() != 0) {
          f.declineNotLogged++;
          f.problems.add(where + " logged " + logged + " instead of one declined line");
        }
      }
      if (!after.chainOk() || after.lastArtifactProblem() != null) {
        f.problems.add(where + " left " + after.problems());
      }
    }
    receipt(f, where, out, in.approves() ? "approved" : "declined");
    return null;
  }

  /** The run's receipt records the same approval outcome. */
  private void receipt(Figures f, String where, String out, String expected) throws IOException {
    int at = out.indexOf("\"run_key\": \"");
    if (at < 0) {
      f.problems.add(where + ": no run key on stdout");
      return;
    }
    String key = out.substring(at + 12, out.indexOf('"', at + 12));
    Path receipt = lane.outbox.resolve("receipts").resolve(key + ".yaml");
    if (!Files.exists(receipt) || !Files.readString(receipt).contains("approval: " + expected)) {
      f.problems.add(where + ": receipt " + receipt.getFileName() + " does not say approval: " + expected);
    }
  }

  /** An in-memory stdin that, like a slow person, only delivers its bytes after the delay. */
  private static InputStream stream(Input in) throws IOException {
    if (in.delayMs() == 0) {
      return new java.io.ByteArrayInputStream(in.bytes());
    }
    PipedInputStream pin = new PipedInputStream(64 * 1024);
    PipedOutputStream pout = new PipedOutputStream(pin);
    Thread t =
        new Thread(
            () -> {
              try (pout) {
                Thread.sleep(in.delayMs());
                pout.write(in.bytes());
              } catch (IOException | InterruptedException e) {
                // The reader went away.
              }
            });
    t.setDaemon(true);
    t.start();
    return pin;
  }
}
