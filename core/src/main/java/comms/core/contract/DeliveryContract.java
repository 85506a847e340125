package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** communications.delivery.contract.yaml: send mode, message types and their routes, retry policy, idempotency window. */
public record DeliveryContract(
    Source source, String mode, Source modeSource, List<MessageType> messageTypes, Retry retry, Idempotency idempotency) {
  public static final String FILE = "communications.delivery.contract.yaml";
  public static final List<String> MODES = List.of("simulation", "live");

  public DeliveryContract {
    messageTypes = List.copyOf(messageTypes);
    java.util.Objects.requireNonNull(idempotency);
  }

  /** A contract with the default idempotency window. */
  public DeliveryContract(Source source, String mode, Source modeSource, List<MessageType> messageTypes, Retry retry) {
    this(source, mode, modeSource, messageTypes, retry, Idempotency.DEFAULT);
  }

  /** A kind of message the business sends, and how it goes out on each channel. */
  public record MessageType(Source source, String name, String description, List<Route> routes) {
    public MessageType {
      routes = List.copyOf(routes);
    }

    public Optional<Route> route(String channel) {
      return routes.stream().filter(r -> r.channel().equals(channel)).findFirst();
    }
  }

  /** message type + channel → provider and template. */
  public record Route(Source source, String channel, String provider, String template) {}

  /** One retry policy for every provider. */
  public record Retry(int maxAttempts, long baseDelayMs, long maxDelayMs) {}

  /**
   * How long an idempotency key stays bound to the message it sent: for {@code windowHours} after
   * that send completed, the same key is a duplicate (same content) or refused (other content);
   * after it, the key is free for a new send. At least 24 hours, as long as Resend keeps a key, so
   * a provider never drops a re-send under a key comms has already let go.
   */
  public record Idempotency(int windowHours) {
    public static final int MIN_HOURS = 24;
    public static final int MAX_HOURS = 8760;
    public static final Idempotency DEFAULT = new Idempotency(24);

    public java.time.Duration window() {
      return java.time.Duration.ofHours(windowHours);
    }
  }

  /** The same contract in simulation mode. */
  public DeliveryContract simulated() {
    return new DeliveryContract(source, "simulation", modeSource, messageTypes, retry, idempotency);
  }

  public boolean live() {
    return "live".equals(mode);
  }

  public Optional<MessageType> messageType(String name) {
    return messageTypes.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static DeliveryContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    Source modeSource = m.get("mode").source();
    String mode = m.oneOf("mode", MODES);
    List<MessageType> types = m.list("message_types", DeliveryContract::messageType);
    Retry retry = new Retry(5, 500, 30_000);
    if (m.has("retry")) {
      YamlMap r = m.map("retry");
      retry = new Retry(r.integer("max_attempts", 5), r.integer("base_delay_ms", 500), r.integer("max_delay_ms", 30_000));
      if (retry.maxAttempts() < 1 || retry.maxAttempts() > 5) {
        throw r.get("max_attempts").error("max_attempts must be between 1 and 5");
      }
      r.end();
    } else {
      m.opt("retry");
    }
    Idempotency idempotency = Idempotency.DEFAULT;
    if (m.has("idempotency")) {
      YamlMap i = m.map("idempotency");
      idempotency = new Idempotency(i.integer("window_hours", Idempotency.DEFAULT.windowHours()));
      if (idempotency.windowHours() < Idempotency.MIN_HOURS || idempotency.windowHours() > Idempotency.MAX_HOURS) {
        throw i.get("window_hours").error(
            "window_hours must be between " + Idempotency.MIN_HOURS + " (a day: Resend keeps a key that long, and would drop a"
                + " re-send under it) and " + Idempotency.MAX_HOURS + " (a year)");
      }
      i.end();
    } else {
      m.opt("idempotency");
    }
    m.end();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (MessageType t : types) {
      if (!names.add(t.name())) {
        throw new ContractException(t.source(), "message type '" + t.name() + "' is declared twice");
      }
    }
    return new DeliveryContract(root.source(), mode, modeSource, types, retry, idempotency);
  }

  private static MessageType messageType(YamlValue v) {
    YamlMap m = v.asMap();
    String name = m.string("name");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw m.get("name").error("message type '" + name + "' must be lower_snake_case");
    }
    List<Route> routes = m.list("routes", DeliveryContract::route);
    MessageType t = new MessageType(m.source(), name, m.string("description", ""), routes);
    m.end();
    return t;
  }

  private static Route route(YamlValue v) {
    YamlMap m = v.asMap();
    Route r = new Route(m.source(), m.oneOf("channel", Channels.SENDABLE), m.string("provider"), m.string("template"));
    m.end();
    return r;
  }
}
