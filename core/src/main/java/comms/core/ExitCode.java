package comms.core;

/** The one table of process exit codes; DESIGN.md's stable machine interface. */
public enum ExitCode {
  OK(0, "ok"),
  INTERNAL(1, "internal error"),
  USAGE(2, "usage error"),
  CONTRACT(3, "contract or configuration invalid"),
  POLICY(4, "blocked or deferred by policy"),
  DECLINED(5, "approval declined"),
  PROVIDER(6, "provider or live probe failure");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The one word machine-readable errors carry for this code: ok, internal, usage, contract, policy, declined, provider. */
  public String kind() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The code with this number, else INTERNAL. */
  public static ExitCode of(int code) {
    for (ExitCode e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return INTERNAL;
  }
}
