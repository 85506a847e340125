package comms.core.stack;

/** One parity check's outcome: pass or fail, a reason a person can act on, and where to fix it. */
public record ParityCheck(String name, boolean passed, String reason, String where) {
  public static ParityCheck pass(String name, String reason) {
    return new ParityCheck(name, true, reason, null);
  }

  public static ParityCheck fail(String name, String reason, String where) {
    return new ParityCheck(name, false, reason, where);
  }

  public String result() {
    return passed ? "pass" : "fail";
  }
}
