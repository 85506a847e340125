package comms.core.outbox;

import comms.core.Recipients;
import comms.core.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One delivery attempt as written to the delivery log: what was sent (or not) to whom, through
 * which provider, with which outcome, chained by hash to the line before.
 *
 * @param time when the attempt ended (written with millisecond precision)
 * @param to the recipient, normalized by {@link Recipients#normalize}
 * @param operator the operator the run acted for (issue 8), null until operators exist
 * @param sequenceId the sequence a stage send belongs to; null (and not written) for other sends
 * @param stage the stage number of a sequence's send; null (and not written) for other sends
 * @param messageId the Message-ID an email stage send carried (replies are matched to it); null (and not written) otherwise
 * @param prevHash the previous line's hash; null before {@link DeliveryJournal#append} sets it
 * @param hash this line's hash; null before {@link DeliveryJournal#append} sets it
 */
public record DeliveryRecord(
    Instant time,
    String deliveryId,
    String runKey,
    String mode,
    String channel,
    String messageType,
    String provider,
    String to,
    String status,
    String providerMessageId,
    String idempotencyKey,
    String bodyHash,
    String error,
    int attempts,
    String operator,
    String sequenceId,
    Integer stage,
    String messageId,
    String prevHash,
    String hash) {

  /** Every status a line may carry. */
  public static final List<String> STATUSES = List.of("simulated", "sent", "queued", "failed", "dead_letter", "blocked", "declined");

  /** Keys only stage sends write, between operator and prev_hash. */
  public static final List<String> STAGE_KEYS = List.of("sequence_id", "stage", "message_id");

  /** The JSON keys, in the order every line writes them (stage sends add {@link #STAGE_KEYS} before prev_hash). */
  public static final List<String> KEYS =
      List.of(
          "time", "delivery_id", "run_key", "mode", "channel", "message_type", "provider", "to", "status",
          "provider_message_id", "idempotency_key", "body_hash", "error", "attempts", "operator", "prev_hash", "hash");

  public DeliveryRecord {
    if (time == null) {
      throw new IllegalArgumentException("a delivery record needs a time");
    }
    if (deliveryId == null || deliveryId.isBlank()) {
      throw new IllegalArgumentException("a delivery record needs a delivery id");
    }
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("a delivery record needs a channel");
    }
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status '" + status + "' is not one of " + STATUSES);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts cannot be negative");
    }
    time = Timestamps.stored(time);
    to = Recipients.normalize(to);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A copy with the chain fields set (the journal does this under its lock). */
  public DeliveryRecord chained(String prevHash, String hash) {
    return new DeliveryRecord(
        time, deliveryId, runKey, mode, channel, messageType, provider, to, status, providerMessageId, idempotencyKey,
        bodyHash, error, attempts, operator, sequenceId, stage, messageId, prevHash, hash);
  }

  /** The fields in line order, for JSON and YAML output; prev_hash and hash included. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Timestamps.format(time));
    m.put("delivery_id", deliveryId);
    m.put("run_key", runKey);
    m.put("mode", mode);
    m.put("channel", channel);
    m.put("message_type", messageType);
    m.put("provider", provider);
    m.put("to", to);
    m.put("status", status);
    m.put("provider_message_id", providerMessageId);
    m.put("idempotency_key", idempotencyKey);
    m.put("body_hash", bodyHash);
    m.put("error", error);
    m.put("attempts", attempts);
    m.put("operator", operator);
    // Written only on stage sends, so every other line keeps exactly the bytes phase 1 wrote.
    if (sequenceId != null) {
      m.put("sequence_id", sequenceId);
    }
    if (stage != null) {
      m.put("stage", stage);
    }
    if (messageId != null) {
      m.put("message_id", messageId);
    }
    m.put("prev_hash", prevHash);
    m.put("hash", hash);
    return m;
  }

  /** Reads a parsed line; keys this version does not know are ignored so older readers tolerate newer lines. */
  public static DeliveryRecord fromFields(Map<String, Object> m) {
    Object t = m.get("time");
    if (!(t instanceof String ts)) {
      throw new IllegalArgumentException("no \"time\"");
    }
    Object a = m.get("attempts");
    int attempts = a instanceof Number n ? n.intValue() : 0;
    return new DeliveryRecord(
        Timestamps.parse(ts),
        str(m, "delivery_id"),
        str(m, "run_key"),
        str(m, "mode"),
        str(m, "channel"),
        str(m, "message_type"),
        str(m, "provider"),
        str(m, "to"),
        str(m, "status"),
        str(m, "provider_message_id"),
        str(m, "idempotency_key"),
        str(m, "body_hash"),
        str(m, "error"),
        attempts,
        str(m, "operator"),
        str(m, "sequence_id"),
        m.get("stage") instanceof Number st ? st.intValue() : null,
        str(m, "message_id"),
        str(m, "prev_hash"),
        str(m, "hash"));
  }

  private static String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("\"" + k + "\" is not a string");
  }

  /** Builds a record field by field; time, delivery id, channel and status are required. */
  public static final class Builder {
    private Instant time;
    private String deliveryId;
    private String runKey;
    private String mode;
    private String channel;
    private String messageType;
    private String provider;
    private String to;
    private String status;
    private String providerMessageId;
    private String idempotencyKey;
    private String bodyHash;
    private String error;
    private int attempts = 1;
    private String operator;
    private String sequenceId;
    private Integer stage;
    private String messageId;

    public Builder time(Instant v) {
      time = v;
      return this;
    }

    public Builder deliveryId(String v) {
      deliveryId = v;
      return this;
    }

    public Builder runKey(String v) {
      runKey = v;
      return this;
    }

    public Builder mode(String v) {
      mode = v;
      return this;
    }

    public Builder channel(String v) {
      channel = v;
      return this;
    }

    public Builder messageType(String v) {
      messageType = v;
      return this;
    }

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder to(String v) {
      to = v;
      return this;
    }

    public Builder status(String v) {
      status = v;
      return this;
    }

    public Builder providerMessageId(String v) {
      providerMessageId = v;
      return this;
    }

    public Builder idempotencyKey(String v) {
      idempotencyKey = v;
      return this;
    }

    public Builder bodyHash(String v) {
      bodyHash = v;
      return this;
    }

    public Builder error(String v) {
      error = v;
      return this;
    }

    public Builder attempts(int v) {
      attempts = v;
      return this;
    }

    public Builder operator(String v) {
      operator = v;
      return this;
    }

    /** The sequence and stage of a stage send (both, or neither). */
    public Builder stage(String sequence, Integer number) {
      sequenceId = sequence;
      stage = number;
      return this;
    }

    /** The Message-ID an email stage send carried. */
    public Builder messageId(String v) {
      messageId = v;
      return this;
    }

    public DeliveryRecord build() {
      return new DeliveryRecord(
          time, deliveryId, runKey, mode, channel, messageType, provider, to, status, providerMessageId, idempotencyKey,
          bodyHash, error, attempts, operator, sequenceId, stage, messageId, null, null);
    }
  }
}
