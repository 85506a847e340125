package comms.cli.mcp;

import static comms.cli.mcp.Schema.anyObject;
import static comms.cli.mcp.Schema.array;
import static comms.cli.mcp.Schema.bool;
import static comms.cli.mcp.Schema.integer;
import static comms.cli.mcp.Schema.object;
import static comms.cli.mcp.Schema.optionalString;
import static comms.cli.mcp.Schema.required;
import static comms.cli.mcp.Schema.string;

import comms.cli.commands.send.SendOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of the tools' arguments and results. Results are the same trees the CLI prints with
 * --output json, so an agent and a script read the same keys; the server checks every result against
 * its schema before it leaves.
 */
final class ToolSchemas {
  private ToolSchemas() {}

  static final Map<String, Object> SEQUENCE_ID = string("The sequence's id (seq_…), or its name among your sequences in play.");
  static final Map<String, Object> STATE_VERSION = integer("The state_version you read (get_status); a stale one is refused and nothing changes.");
  static final Map<String, Object> APPROVAL =
      optionalString("The approval the recipient count needs: confirm:APPROVER_EMAIL (51–500), multipov:REVIEW_ID (501–1,000) or token:TOKEN (1,001+).");

  static Map<String, Object> none() {
    return object(List.of());
  }

  static Map<String, Object> sequenceOnly() {
    return object(required("sequence_id"), "sequence_id", SEQUENCE_ID);
  }

  static Map<String, Object> versioned() {
    return object(required("sequence_id", "state_version"), "sequence_id", SEQUENCE_ID, "state_version", STATE_VERSION);
  }

  /** The arguments of a transactional message (preview_send, send_transactional). */
  static Map<String, Object> message(boolean send) {
    List<String> channels = Arrays.stream(SendOptions.Channel.values()).map(Enum::name).toList();
    Object[] props = {
      "channel", Schema.oneOf("How to send.", channels),
      "message_type", string("A message type from the delivery contract, e.g. payment_needed."),
      "to", string("SMS: an E.164 number such as +13125550142. Email: one address."),
      "consent_state", string("The consent you hold for this recipient (see the policy contract); a recorded opt-out overrides it."),
      "vars", anyObject("Template variables: one object of strings or numbers."),
      "at", optionalString("Judge quiet hours as of this ISO-8601 instant (default: now)."),
      "recipient_tz", optionalString("The recipient's IANA time zone, e.g. America/Denver."),
      "idempotency_key", optionalString("Sends with the same key happen once (default: derived from the message).")
    };
    Object[] used = send ? props : Arrays.copyOf(props, props.length - 2);
    return object(required("channel", "message_type", "to", "consent_state", "vars"), used);
  }

  // ------------------------------------------------------------------ results

  static Map<String, Object> counts() {
    Map<String, Object> m = anyObject("Recipients by state.");
    m.put("additionalProperties", Map.of("type", "integer"));
    return m;
  }

  static Map<String, Object> sequence() {
    return object(
        required("id", "name", "owner", "state", "state_version", "zone", "stages", "counts"),
        "id", string(null), "name", string(null), "owner", string(null), "state", string(null), "state_version", integer(null),
        "zone", string(null), "window", anyObject(null), "holidays", anyObject(null), "stages", array(null, anyObject(null)),
        "counts", counts(), "created_at", string(null), "launched_at", optionalString(null),
        "next_due", array(null, anyObject(null)), "problems", array(null, anyObject(null)), "note", optionalString(null));
  }

  static Map<String, Object> sequences() {
    return object(
        required("sequences"),
        "sequences",
        array(null, object(required("id", "name", "owner", "state", "state_version"),
            "id", string(null), "name", string(null), "owner", string(null), "state", string(null), "state_version", integer(null), "counts", counts())));
  }

  static Map<String, Object> audit() {
    return object(
        required("scope", "count", "entries"),
        "scope", string(null), "count", integer(null),
        "entries", array(null, object(required("id", "occurred_at", "actor", "owner", "action", "resource_type"),
            "id", integer(null), "occurred_at", string(null), "actor", string(null), "owner", string(null), "action", string(null),
            "resource_type", string(null), "resource_id", optionalString(null), "payload", anyObject(null), "run_key", optionalString(null),
            "os_user", optionalString(null))));
  }

  static Map<String, Object> enrollment() {
    return object(
        required("sequence_id", "written", "accepted", "rejected"),
        "sequence_id", string(null), "written", bool("False for a dry run, or when no row was accepted."),
        "accepted", array(null, object(required("line"), "line", integer(null), "email", optionalString(null), "phone", optionalString(null),
            "enrollment_id", optionalString(null))),
        "rejected", array(null, object(required("line", "reason"), "line", integer(null), "email", optionalString(null), "phone", optionalString(null),
            "reason", string("suppressed:domain, suppressed_cc:address, invalid:double_at, already_active:SEQ, missing_variable:NAME, …"))));
  }

  static Map<String, Object> preview() {
    return object(
        required("verdict", "channel", "message_type", "to", "gates"),
        "verdict", string("allowed, blocked or deferred."), "mode", string(null), "channel", string(null), "message_type", string(null),
        "provider", optionalString(null), "template", optionalString(null), "to", string(null), "rendered", anyObject(null), "sms", anyObject(null),
        "gates", array(null, object(required("name", "result"), "name", string(null), "result", string(null), "reason", optionalString(null))),
        "next_allowed_at", optionalString(null), "undeclared_vars", array(null, string(null)), "body_hash", optionalString(null));
  }

  static Map<String, Object> sent() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = preview();
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) m.get("properties");
    props.put("status", string("sent, simulated, duplicate, …"));
    props.put("approval", optionalString(null));
    props.put("delivery_id", optionalString(null));
    props.put("idempotency_key", optionalString(null));
    props.put("provider_message_id", optionalString(null));
    props.put("attempts", integer(null));
    props.put("error", optionalString(null));
    props.put("run_key", optionalString(null));
    return m;
  }
}
