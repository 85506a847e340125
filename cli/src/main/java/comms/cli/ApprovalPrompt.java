package comms.cli;

import comms.core.send.ControlCharacters;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Asks a person on stderr and reads one line from stdin. Only the exact word {@code yes} approves
 * (a trailing CR from a Windows terminal is tolerated); anything else, an empty line, a closed
 * stdin or an unreadable line declines. So {@code echo yes | comms …} approves and nothing else does.
 */
public final class ApprovalPrompt {
  static final String NO_ANSWER_CLOSED = "no answer: stdin is closed";
  static final String NO_ANSWER_NOT_TEXT = "no answer: stdin is closed or does not hold text";

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

  /**
   * Shows {@code summary} and the question, then reads the answer. Control characters in the summary
   * are shown escaped, so nothing quoted in it can move the cursor or rewrite what the person reads.
   */
  public Answer ask(String summary) {
    err.println(ControlCharacters.visibleLines(summary));
    err.print("Type yes to approve, anything else declines: ");
    err.flush();
    Answer a = read();
    err.println();
    err.println(a.approved() ? "approved." : "declined (" + a.why() + "); nothing was sent.");
    err.flush();
    return a;
  }

  Answer read() {
    if (in == System.in && StdinState.closed()) {
      return new Answer(false, NO_ANSWER_CLOSED);
    }
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
          // Binary bytes mean there is no person at the other end, e.g. stdin was closed and the JVM
          // reused its descriptor for a file of its own.
          return new Answer(false, text(buf, n) ? "answer too long" : NO_ANSWER_NOT_TEXT);
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
    if (!text(buf, n)) {
      return new Answer(false, NO_ANSWER_NOT_TEXT);
    }
    String answer = new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    return answer.equals("yes") ? new Answer(true, "yes") : new Answer(false, "answer was not exactly 'yes'");
  }

  /** Whether the first {@code n} bytes are UTF-8 text without control characters other than tab and CR. */
  private static boolean text(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      int b = buf[i] & 0xff;
      if ((b < 0x20 && b != '\t' && b != '\r') || b == 0x7f) {
        return false;
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(buf, 0, n));
      // A multi-byte character cut by the length limit is not evidence of binary data.
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return n == buf.length && validExceptCutTail(buf, n);
    }
  }

  private static boolean validExceptCutTail(byte[] buf, int n) {
    for (int cut = 1; cut <= 3 && cut < n; cut++) {
      try {
        java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(buf, 0, n - cut));
        return true;
      } catch (java.nio.charset.CharacterCodingException e) {
        // try a shorter prefix
      }
    }
    return false;
  }
}
