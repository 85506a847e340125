package comms.core;

/** The one table of process exit codes; DESIGN.md's stable machine interface. */
public enum ExitCode {
  OK(0, "ok", "ok"),
  INTERNAL(1, "internal", "internal error"),
  USAGE(2, "usage", "usage error"),
  CONTRACT(3, "contract", "contract or configuration invalid"),
  POLICY(4, "policy", "blocked or deferred by policy"),
  DECLINED(5, "declined", "approval declined"),
  PROVIDER(6, "provider", "provider or live probe failure");

  private final int code;
  private final String kind;
  private final String meaning;

  ExitCode(int code, String kind, String meaning) {
    this.code = code;
    this.kind = kind;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  /** The stable one-word name a machine-readable error carries ({@code "kind": "contract"}). */
  public String kind() {
    return kind;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code with this number, else {@link #INTERNAL} (a number no code has is a bug). */
  public static ExitCode of(int code) {
    for (ExitCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
