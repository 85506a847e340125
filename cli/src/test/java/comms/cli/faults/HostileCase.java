package comms.cli.faults;

/**
 * One phase-2 hostile input: its kind (sequence file, recipient file, snippet body, webhook, JWT, MCP
 * message), a name, the answer comms must give ({@code exit 3}, {@code HTTP 401}, {@code JSON-RPC
 * -32700}, {@code tool exit 2}) and a piece of the sentence that says why.
 */
record HostileCase(String kind, String name, String expected, String says, Probe probe, String deviation) {
  /** What the input got: the answer in the same words as {@link #expected}, and everything printed. */
  record Answer(String code, String text) {}

  interface Probe {
    Answer run() throws Exception;
  }

  static HostileCase of(String kind, String name, String expected, String says, Probe probe) {
    return new HostileCase(kind, name, expected, says, probe, null);
  }

  /**
   * An input that is refused and changes nothing, but not in the shape the README documents
   * ({@code deviation} says how): its current answer is asserted, and the summary and
   * docs/RELIABILITY.md list it, so a fix shows up as a changed expectation, not silently.
   */
  HostileCase known(String actual, String deviation) {
    return new HostileCase(kind, name, actual, says, probe, deviation);
  }

  @Override
  public String toString() {
    return kind + " / " + name;
  }
}
