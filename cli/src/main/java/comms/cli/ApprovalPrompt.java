package comms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Asks a person on stderr and reads one line from stdin. Only the exact word {@code yes} approves
 * (a trailing CR from a Windows terminal is tolerated); anything else, an empty line, a closed
 * stdin or an unreadable line declines. So {@code echo yes | comms …} approves and nothing else does.
 */
public final class ApprovalPrompt {
  /** Longer answers are not "yes"; stop reading so a hostile stream cannot fill memory. */
  static final int MAX_LINE_BYTES = 64;

  private final InputStream in;
  private final PrintWriter err;

  public ApprovalPrompt(InputStream in, PrintWriter err) {
    this.in = in;
    this.err = err;
  }

  /** The answer and whether it approved. */
  public record Answer(boolean approved, String why) {}

  /** Shows {@code summary} and the question, then reads the answer. */
  public Answer ask(String summary) {
    err.println(summary);
    err.print("Type yes to approve, anything else declines: ");
    err.flush();
    Answer a = read();
    err.println();
    err.println(a.approved() ? "approved." : "declined (" + a.why() + "); nothing was sent.");
    err.flush();
    return a;
  }

  Answer read() {
    byte[] buf = new byte[MAX_LINE_BYTES];
    int n = 0;
    boolean sawNewline = false;
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        if (b == '\n') {
          sawNewline = true;
          break;
        }
        if (n == buf.length) {
          return new Answer(false, "answer too long");
        }
        buf[n++] = (byte) b;
      }
    } catch (IOException e) {
      return new Answer(false, "stdin could not be read");
    }
    if (n == 0) {
      return new Answer(false, sawNewline ? "empty answer" : "no answer: stdin closed");
    }
    if (n > 0 && buf[n - 1] == '\r') {
      n--;
    }
    String answer = new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    return answer.equals("yes") ? new Answer(true, "yes") : new Answer(false, "answer was not exactly 'yes'");
  }
}
