package comms.cli.mcp;

import java.util.Map;

/**
 * One tool an agent may call: its name, what it does, whether it only reads, the JSON Schemas of its
 * arguments and of its result, and the call itself (a thin call of one core service). Free of the
 * MCP SDK, so another transport (Streamable HTTP in comms serve) can serve the same catalog.
 */
record AgentTool(String name, String title, String description, boolean readOnly, Map<String, Object> input, Map<String, Object> output, Call call) {
  AgentTool {
    // Closed: an argument the tool does not define (an operator, say) is refused, not ignored.
    input = new java.util.LinkedHashMap<>(input);
    input.put("additionalProperties", false);
  }

  /** The name an agent written for the outbound contract calls (personalize_get_status, …). */
  static final String ALIAS_PREFIX = "personalize_";

  /** Runs the tool; a refusal is a {@link comms.core.CommsException} whose sentence and exit code the caller reports. */
  @FunctionalInterface
  interface Call {
    Map<String, Object> run(Arguments args, Human human);
  }

  /** The person behind the client, when the client can ask them (MCP elicitation). */
  interface Human {
    /** Whether a person can be asked at all. */
    boolean reachable();

    /** Shows {@code summary} to the person and answers whether they approved it. */
    boolean approve(String summary);
  }
}
