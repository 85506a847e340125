package comms.core.verify;

import java.util.List;

/** One static check of {@code comms verify}: its group, name, outcome, and each problem with the place to fix it. */
public record VerifyCheck(String group, String name, Status status, String summary, List<Problem> problems) {
  /** pass, fail, or skipped because a contract it needs does not load. */
  public enum Status {
    PASS,
    FAIL,
    SKIP;

    public String word() {
      return switch (this) {
        case PASS -> "pass";
        case FAIL -> "fail";
        case SKIP -> "skipped";
      };
    }
  }

  /** What is wrong and where: {@code file:line:col}, or a file or folder when there is no line. */
  public record Problem(String where, String message) {
    @Override
    public String toString() {
      return where == null || where.isEmpty() ? message : where + ": " + message;
    }
  }

  public VerifyCheck {
    problems = List.copyOf(problems);
  }

  public static VerifyCheck pass(String group, String name, String summary) {
    return new VerifyCheck(group, name, Status.PASS, summary, List.of());
  }

  public static VerifyCheck fail(String group, String name, List<Problem> problems) {
    return new VerifyCheck(
        group, name, Status.FAIL, problems.size() == 1 ? problems.get(0).message() : problems.size() + " problems", problems);
  }

  public static VerifyCheck skip(String group, String name, String why) {
    return new VerifyCheck(group, name, Status.SKIP, why, List.of());
  }

  public boolean passed() {
    return status == Status.PASS;
  }

  public boolean failed() {
    return status == Status.FAIL;
  }
}
